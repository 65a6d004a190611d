import { describe, expect, it } from 'vitest';
import type { WireEvent } from '../../../../server/runs/wire-events';
import { applyEvent, initialProgress, isFinished, progressCounts } from './run-progress';

const base = { attempt: 1, seq: 1, t: 0 };
const events: WireEvent[] = [
  { ...base, type: 'run.started', runId: 'r', nodeIds: ['a', 'b', 'c'] },
  { ...base, type: 'node.started', nodeId: 'a' },
  { ...base, type: 'node.cached', nodeId: 'a', cacheKey: 'k', outputs: {} },
  { ...base, type: 'node.finished', nodeId: 'b', cacheKey: 'k', durationMs: 3, outputs: {} },
];

describe('run progress from events', () => {
  it('counts ended nodes out of the run.started list', () => {
    const state = events.reduce(applyEvent, initialProgress());
    expect(state.status).toBe('running');
    expect(progressCounts(state)).toEqual({ done: 2, total: 3 });
  });

  it('takes the outputs and problems from run.finished', () => {
    const done = applyEvent(events.reduce(applyEvent, initialProgress()), {
      ...base,
      type: 'run.finished',
      status: 'failed',
      durationMs: 9,
      outputs: { x: { kind: 'number', value: 2 } },
      errors: [{ nodeId: 'c', code: 'bad', message: 'broke' }],
    });
    expect(isFinished(done.status)).toBe(true);
    expect(done.outputs).toEqual({ x: { kind: 'number', value: 2 } });
    expect(done.errors).toEqual([{ nodeId: 'c', message: 'broke' }]);
  });

  it('starts counting again after a worker restart', () => {
    const state = applyEvent(events.reduce(applyEvent, initialProgress()), { ...base, seq: 0, type: 'run.restarted', reason: 'worker_crashed', message: 'x' });
    expect(progressCounts(state)).toEqual({ done: 0, total: 3 });
  });
});
