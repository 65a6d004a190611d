/** Decides when an edit starts a new undo step: edits with the same key in quick succession (a drag, typing) make one. */
export class Coalescer {
  private key: string | undefined;
  private at = 0;
  constructor(private readonly windowMs = 1000) {}

  /** Whether this edit should push a new snapshot. */
  shouldPush(key: string | undefined, now = Date.now()): boolean {
    const merge = key !== undefined && key === this.key && now - this.at < this.windowMs;
    this.key = key;
    this.at = now;
    return !merge;
  }

  reset(): void {
    this.key = undefined;
  }
}

export const HISTORY_LIMIT = 100;

export function pushBounded<T>(list: T[], item: T, limit = HISTORY_LIMIT): T[] {
  const next = [...list, item];
  return next.length > limit ? next.slice(next.length - limit) : next;
}
