import type { RunEvent } from '../../engine/run-events';

/** Time source and timer, injectable so tests drive the throttle with a fake clock. */
export interface Clock {
  now(): number;
  /** Calls back after `ms`; the returned function cancels the call. */
  schedule(callback: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  schedule(callback, ms) {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};

export interface ThrottleOptions {
  clock?: Clock;
  /** Least time between two node.progress events of one node (default 100 ms). */
  progressIntervalMs?: number;
  /** Least time between two node.preview events of one node (default 250 ms). */
  previewIntervalMs?: number;
}

type Throttled = Extract<RunEvent, { type: 'node.progress' | 'node.preview' }>;

interface Slot {
  last: number | undefined;
  pending: Throttled | undefined;
  cancelTimer: (() => void) | undefined;
}

const nodeEnds = new Set<RunEvent['type']>(['node.finished', 'node.cached', 'node.failed', 'node.skipped']);

/**
 * Coalesces a run's event stream: per node, at most one node.progress per
 * progress interval and one node.preview per preview interval. The first of a
 * burst goes out at once; the latest held back goes out when its interval ends,
 * or just before the node's own end event (or run.finished), whichever is first.
 * Every other event passes through unchanged and in order.
 */
export class EventThrottle {
  private readonly clock: Clock;
  private readonly intervals: Record<Throttled['type'], number>;
  /** Per node, one slot per throttled event type. */
  private readonly slots = new Map<string, Record<Throttled['type'], Slot>>();
  private closed = false;

  constructor(
    private readonly emit: (event: RunEvent) => void,
    options: ThrottleOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.intervals = { 'node.progress': options.progressIntervalMs ?? 100, 'node.preview': options.previewIntervalMs ?? 250 };
  }

  push(event: RunEvent): void {
    if (this.closed) return;
    if (event.type === 'node.progress' || event.type === 'node.preview') {
      this.throttle(event);
    } else if (nodeEnds.has(event.type) && 'nodeId' in event) {
      this.flush([event.nodeId]);
      this.emit(event);
    } else if (event.type === 'run.finished') {
      this.flush([...this.slots.keys()]);
      this.emit(event);
      this.close();
    } else {
      this.emit(event);
    }
  }

  /** Drops anything held back and cancels timers. */
  close(): void {
    this.closed = true;
    for (const node of this.slots.values()) for (const slot of Object.values(node)) slot.cancelTimer?.();
    this.slots.clear();
  }

  private throttle(event: Throttled): void {
    let node = this.slots.get(event.nodeId);
    if (!node) {
      node = { 'node.progress': emptySlot(), 'node.preview': emptySlot() };
      this.slots.set(event.nodeId, node);
    }
    const slot = node[event.type];
    const interval = this.intervals[event.type];
    const now = this.clock.now();
    if (slot.last === undefined || now - slot.last >= interval) {
      // Anything held back is older than this event: superseded.
      slot.cancelTimer?.();
      slot.cancelTimer = undefined;
      slot.pending = undefined;
      slot.last = now;
      this.emit(event);
      return;
    }
    slot.pending = event;
    if (!slot.cancelTimer) {
      slot.cancelTimer = this.clock.schedule(() => {
        slot.cancelTimer = undefined;
        const pending = slot.pending;
        if (!pending || this.closed) return;
        slot.pending = undefined;
        slot.last = this.clock.now();
        this.emit(pending);
      }, interval - (now - slot.last));
    }
  }

  /** Emits the nodes' held-back events in their original order, and forgets those nodes. */
  private flush(nodeIds: string[]): void {
    const held: Throttled[] = [];
    for (const nodeId of nodeIds) {
      const node = this.slots.get(nodeId);
      if (!node) continue;
      this.slots.delete(nodeId);
      for (const slot of Object.values(node)) {
        slot.cancelTimer?.();
        if (slot.pending) held.push(slot.pending);
      }
    }
    held.sort((a, b) => a.seq - b.seq);
    for (const event of held) this.emit(event);
  }
}

function emptySlot(): Slot {
  return { last: undefined, pending: undefined, cancelTimer: undefined };
}
