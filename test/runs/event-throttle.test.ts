import { describe, expect, it } from 'vitest';
import { createImage } from '../../nodes/_impl/pixel-image';
import type { RunEvent } from '../../engine/run-events';
import { EventThrottle, type Clock } from '../../server/runs/event-throttle';

/** A clock that moves only when told to, firing due timers in time order. */
class FakeClock implements Clock {
  time = 0;
  private timers: { at: number; callback: () => void; live: boolean }[] = [];

  now(): number {
    return this.time;
  }

  schedule(callback: () => void, ms: number): () => void {
    const timer = { at: this.time + ms, callback, live: true };
    this.timers.push(timer);
    return () => {
      timer.live = false;
    };
  }

  /** Moves to `to`, firing every live timer due on the way. */
  advanceTo(to: number): void {
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= to).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.time = due.at;
      due.live = false;
      due.callback();
    }
    this.time = to;
  }

  /** Moves time without firing anything: an event loop busy in synchronous work. */
  jumpTo(to: number): void {
    this.time = to;
  }

  get pending(): number {
    return this.timers.filter((t) => t.live).length;
  }
}

const image = createImage(1, 1, 1);

function setup() {
  const clock = new FakeClock();
  const out: RunEvent[] = [];
  const throttle = new EventThrottle((e) => out.push(e), { clock });
  let seq = 0;
  const at = (time: number, body: Record<string, unknown> & { type: RunEvent['type'] }) => {
    clock.advanceTo(time);
    // Test events are built from loose literals; the throttle reads only type, nodeId and seq.
    throttle.push({ ...body, seq: ++seq, t: time } as RunEvent);
  };
  const progress = (time: number, nodeId: string, fraction: number) => at(time, { type: 'node.progress', nodeId, fraction });
  const preview = (time: number, nodeId: string, label: string) => at(time, { type: 'node.preview', nodeId, image, label });
  const summary = () =>
    out.map((e) =>
      e.type === 'node.progress'
        ? `${e.nodeId}:${e.fraction}@${e.t}`
        : e.type === 'node.preview'
          ? `${e.nodeId}:preview ${e.label}`
          : `${'nodeId' in e ? `${e.nodeId}:` : ''}${e.type}`,
    );
  return { clock, out, throttle, at, progress, preview, summary };
}

describe('EventThrottle', () => {
  it('lets the first progress through, holds the latest of a burst until the interval ends, and flushes before node.finished', () => {
    const { at, progress, clock, summary } = setup();
    at(0, { type: 'node.started', nodeId: 'a' });
    for (let i = 0; i < 10; i++) progress(i * 10, 'a', i / 10);
    expect(summary()).toEqual(['a:node.started', 'a:0@0']);
    clock.advanceTo(100); // the interval since the first ends: the newest held back goes out
    expect(summary()).toEqual(['a:node.started', 'a:0@0', 'a:0.9@90']);
    progress(105, 'a', 0.95);
    at(150, { type: 'node.finished', nodeId: 'a', cacheKey: 'k', durationMs: 150, outputs: {} });
    expect(summary()).toEqual(['a:node.started', 'a:0@0', 'a:0.9@90', 'a:0.95@105', 'a:node.finished']);
    expect(clock.pending).toBe(0);
  });

  it('throttles each node on its own and never drops or reorders other events', () => {
    const { at, progress, summary } = setup();
    progress(0, 'a', 0.1);
    progress(1, 'b', 0.1);
    at(2, { type: 'node.queued', nodeId: 'c' });
    progress(3, 'a', 0.2);
    at(4, { type: 'node.started', nodeId: 'c' });
    progress(5, 'b', 0.2);
    at(6, { type: 'node.failed', nodeId: 'b', error: { nodeId: 'b', code: 'x', message: 'x' }, durationMs: 6 });
    at(7, { type: 'node.skipped', nodeId: 'c', reason: 'upstream_failed', upstream: 'b' });
    expect(summary()).toEqual([
      'a:0.1@0',
      'b:0.1@1',
      'c:node.queued',
      'c:node.started',
      'b:0.2@5', // the last progress of b goes out before its failure
      'b:node.failed',
      'c:node.skipped',
    ]);
  });

  it('emits at most one preview per 250 ms per node, always the final one', () => {
    const { preview, at, clock, summary } = setup();
    preview(0, 'a', 'p0');
    preview(100, 'a', 'p100');
    preview(200, 'a', 'p200');
    clock.advanceTo(249);
    expect(summary()).toEqual(['a:preview p0']);
    clock.advanceTo(250);
    expect(summary()).toEqual(['a:preview p0', 'a:preview p200']);
    preview(300, 'a', 'p300');
    at(320, { type: 'run.finished', status: 'succeeded', durationMs: 320, errors: [] });
    expect(summary()).toEqual(['a:preview p0', 'a:preview p200', 'a:preview p300', 'run.finished']);
    expect(clock.pending).toBe(0);
  });

  it('flushes held progress and preview of a node in their original order', () => {
    const { preview, progress, at, summary } = setup();
    progress(0, 'a', 0.1);
    preview(1, 'a', 'first');
    preview(2, 'a', 'second'); // held
    progress(3, 'a', 0.3); // held, after the held preview
    at(4, { type: 'node.finished', nodeId: 'a', cacheKey: 'k', durationMs: 4, outputs: {} });
    expect(summary()).toEqual(['a:0.1@0', 'a:preview first', 'a:preview second', 'a:0.3@3', 'a:node.finished']);
  });

  it('still emits when timers cannot fire (event loop blocked by a synchronous node)', () => {
    const { clock, out, throttle } = setup();
    const push = (time: number, fraction: number, seq: number) => {
      clock.jumpTo(time);
      throttle.push({ type: 'node.progress', nodeId: 'a', fraction, seq, t: time });
    };
    push(0, 0.1, 1);
    push(50, 0.2, 2); // held
    push(150, 0.3, 3); // interval over: goes out at once, the held 0.2 is superseded
    push(180, 0.4, 4); // held
    clock.advanceTo(1000); // the loop frees up: the timer for 0.2 was cancelled, the one for 0.4 fires
    expect(out.map((e) => (e.type === 'node.progress' ? e.fraction : e.type))).toEqual([0.1, 0.3, 0.4]);
  });

  it('close() drops what is held and cancels its timers', () => {
    const { progress, clock, out, throttle } = setup();
    progress(0, 'a', 0.1);
    progress(10, 'a', 0.2);
    throttle.close();
    clock.advanceTo(500);
    expect(out).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });
});
