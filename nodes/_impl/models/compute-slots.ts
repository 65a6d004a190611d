/**
 * A counting semaphore for model inference in one process: at most `size` holders at
 * once, the rest wait in arrival order. A waiter whose signal aborts leaves the queue
 * and rejects with an AbortError (the engine reports the node `cancelled`).
 */
export class ComputeSlots {
  private free: number;
  private readonly waiting: { grant(): void }[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`compute slots must be a positive integer, not ${size}`);
    this.free = size;
  }

  /** Waits for a slot; resolves to the function that gives it back (calling it twice is harmless). */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(abortError(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Runs fn holding a slot. */
  async run<T>(signal: AbortSignal | undefined, fn: () => Promise<T> | T): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Slots held now. */
  get inUse(): number {
    return this.size - this.free;
  }

  /** Callers waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next.grant();
      else this.free++;
    };
  }
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name === 'AbortError' ? reason : new DOMException('cancelled while waiting for a model slot', 'AbortError');
}
