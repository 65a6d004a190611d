import { describe, expect, it } from 'vitest';
import type { WireEvent } from '../../../server/runs/wire-events';
import { applyExecutionEvent, emptyExecution, ranOnText, type RunExecution } from './run-execution';

const started = (attempt: number, worker?: { id: string; name?: string; providers?: string[] }): WireEvent => ({
  type: 'run.started',
  attempt,
  seq: 1,
  t: 0,
  runId: 'r1',
  nodeIds: ['style'],
  ...(worker ? { worker } : {}),
});
const progress = (attempt: number, nodeId: string, message?: string): WireEvent => ({ type: 'node.progress', attempt, seq: 2, t: 1, nodeId, fraction: 0, ...(message ? { message } : {}) });
const reduce = (events: WireEvent[]): RunExecution => events.reduce(applyExecutionEvent, emptyExecution);

describe('where a run executed, from its events', () => {
  it('names the worker and its providers, or this server when the event names none', () => {
    expect(ranOnText(reduce([]))).toBeUndefined();
    expect(ranOnText(reduce([started(1)]))).toBe('this server');
    expect(ranOnText(reduce([started(1, { id: 'w1', name: 'gpu-box', providers: ['cuda', 'cpu'] })]))).toBe('gpu-box (CUDA, CPU)');
    expect(ranOnText(reduce([started(1, { id: 'w1' })]))).toBe('w1');
  });

  it('says where earlier attempts ran when a worker died', () => {
    const text = ranOnText(reduce([started(1, { id: 'w1', name: 'a' }), started(2, { id: 'w2', name: 'b', providers: ['cpu'] })]));
    expect(text).toBe('b (CPU), attempt 2 (attempt 1 on a)');
  });

  it('keeps the providers model nodes name in progress messages, from their latest attempt', () => {
    const state = reduce([
      started(1),
      progress(1, 'style', 'onnxruntime: cuda'),
      progress(1, 'style', 'tile 1/4'),
      progress(1, 'style', 'onnxruntime: cuda'),
      progress(1, 'decode', 'VAE decoder on cpu'),
      progress(1, 'blur'),
      progress(2, 'decode', 'VAE decoder on cuda'),
    ]);
    expect(state.providers).toEqual({ style: { attempt: 1, providers: ['cuda'] }, decode: { attempt: 2, providers: ['cuda'] } });
  });

  it('returns the same state for events that tell nothing new', () => {
    const state = reduce([started(1), progress(1, 'style', 'onnxruntime: cpu')]);
    expect(applyExecutionEvent(state, progress(1, 'style', 'tile 2/4'))).toBe(state);
    expect(applyExecutionEvent(state, progress(1, 'style', 'onnxruntime: cpu'))).toBe(state);
  });
});
