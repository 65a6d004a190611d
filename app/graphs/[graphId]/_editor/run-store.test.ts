import { beforeEach, describe, expect, it } from 'vitest';
import type { ImageSummary, WireEvent } from '../../../../server/runs/wire-events';
import { useRunStore } from './run-store';

const sha = (c: string) => c.repeat(64);
const image = (c: string): ImageSummary => ({
  kind: 'image',
  artifactId: sha(c),
  mediaType: 'image/png',
  width: 4,
  height: 3,
  channels: 3,
  preview: { artifactId: sha(c === 'a' ? 'b' : 'd'), width: 4, height: 3, mediaType: 'image/webp' },
});
const at = { attempt: 1, t: 0 };
let seq = 0;
type Bare<E> = E extends WireEvent ? Omit<E, 'seq' | 'attempt' | 't'> : never;
const apply = (event: Bare<WireEvent>) => {
  seq += 1;
  useRunStore.getState().apply(seq, { ...at, seq, ...event } as WireEvent);
};
const node = (id: string) => useRunStore.getState().nodes[id];

describe('useRunStore', () => {
  beforeEach(() => {
    seq = 0;
    useRunStore.getState().reset();
    useRunStore.getState().begin('run-1');
  });

  it('follows a run: queued, running with progress, previews, done and cached with outputs', () => {
    apply({ type: 'run.started', runId: 'run-1', nodeIds: ['load', 'blur'] });
    expect(useRunStore.getState().status).toBe('running');
    expect(node('blur')?.status).toBe('queued');
    apply({ type: 'node.cached', nodeId: 'load', cacheKey: 'k', outputs: { image: image('a') } });
    expect(node('load')).toMatchObject({ status: 'cached', previewUrl: `/api/runs/run-1/files/${sha('b')}` });
    apply({ type: 'node.started', nodeId: 'blur' });
    apply({ type: 'node.progress', nodeId: 'blur', fraction: 0.5, message: 'half' });
    expect(node('blur')).toMatchObject({ status: 'running', progress: 0.5, message: 'half' });
    apply({ type: 'node.preview', nodeId: 'blur', preview: { artifactId: sha('e'), width: 4, height: 3, mediaType: 'image/webp' } });
    expect(node('blur')?.previewUrl).toBe(`/api/runs/run-1/files/${sha('e')}`);
    apply({ type: 'node.finished', nodeId: 'blur', cacheKey: 'k2', durationMs: 12, outputs: { image: image('c') } });
    expect(node('blur')).toMatchObject({ status: 'done', durationMs: 12, progress: undefined });
    expect(node('blur')?.outputs?.image).toMatchObject({ artifactId: sha('c') });
    apply({ type: 'run.finished', status: 'succeeded', durationMs: 20, outputs: { result: image('c') }, errors: [] });
    expect(useRunStore.getState()).toMatchObject({ status: 'succeeded', durationMs: 20 });
    expect(Object.keys(useRunStore.getState().outputs)).toEqual(['result']);
  });

  it('ignores repeated events (a resumed stream) and settles what never ran', () => {
    apply({ type: 'run.started', runId: 'run-1', nodeIds: ['a', 'b', 'c'] });
    apply({ type: 'node.started', nodeId: 'a' });
    useRunStore.getState().apply(1, { ...at, seq: 1, type: 'node.queued', nodeId: 'a' });
    expect(node('a')?.status).toBe('running');
    apply({ type: 'node.failed', nodeId: 'a', durationMs: 3, error: { nodeId: 'a', code: 'boom', message: 'it broke' } });
    apply({ type: 'node.skipped', nodeId: 'b', reason: 'upstream_failed', upstream: 'a' });
    apply({ type: 'run.finished', status: 'failed', durationMs: 5, outputs: {}, errors: [{ nodeId: 'a', code: 'boom', message: 'it broke' }] });
    expect(node('a')).toMatchObject({ status: 'failed', error: { code: 'boom' } });
    expect(node('b')).toMatchObject({ status: 'skipped' });
    expect(node('c')?.status).toBe('skipped');
    expect(useRunStore.getState().errors).toHaveLength(1);
  });

  it('starts over after a worker restart and resets per run', () => {
    apply({ type: 'run.started', runId: 'run-1', nodeIds: ['a'] });
    apply({ type: 'node.finished', nodeId: 'a', cacheKey: 'k', durationMs: 1, outputs: {} });
    apply({ type: 'run.restarted', reason: 'worker_crashed', message: 'crashed' });
    expect(useRunStore.getState().nodes).toEqual({});
    useRunStore.getState().begin('run-2');
    expect(useRunStore.getState()).toMatchObject({ runId: 'run-2', status: 'queued', nodes: {}, lastSeq: 0 });
  });

  it('rolls the inner nodes of a pipeline node up onto it: progress, latest preview, done', () => {
    apply({ type: 'run.started', runId: 'run-1', nodeIds: ['load', 'pipe/blur', 'pipe/sharpen', 'save'] });
    expect(node('pipe')).toMatchObject({ status: 'queued' });
    apply({ type: 'node.started', nodeId: 'pipe/blur' });
    expect(node('pipe')).toMatchObject({ status: 'running', progress: 0 });
    apply({ type: 'node.preview', nodeId: 'pipe/blur', preview: { artifactId: sha('e'), width: 4, height: 3, mediaType: 'image/webp' } });
    expect(node('pipe')?.previewUrl).toBe(`/api/runs/run-1/files/${sha('e')}`);
    apply({ type: 'node.finished', nodeId: 'pipe/blur', cacheKey: 'k', durationMs: 3, outputs: { image: image('a') } });
    expect(node('pipe')).toMatchObject({ status: 'running', progress: 0.5, message: '1 of 2 inner nodes done', previewUrl: `/api/runs/run-1/files/${sha('b')}` });
    apply({ type: 'node.cached', nodeId: 'pipe/sharpen', cacheKey: 'k2', outputs: { image: image('c') } });
    expect(node('pipe')).toMatchObject({ status: 'done', previewUrl: `/api/runs/run-1/files/${sha('d')}` });
    // The inner nodes keep their own states; the canvas node 'save' is untouched.
    expect(node('pipe/blur')?.status).toBe('done');
    expect(node('save')?.status).toBe('queued');
    apply({ type: 'run.finished', status: 'succeeded', durationMs: 9, outputs: {}, errors: [] });
    expect(node('pipe')?.status).toBe('done');
  });

  it('marks a pipeline node failed with the failing inner node and its message', () => {
    apply({ type: 'run.started', runId: 'run-1', nodeIds: ['p/a', 'p/b', 'p/c'] });
    apply({ type: 'node.finished', nodeId: 'p/a', cacheKey: 'k', durationMs: 1, outputs: {} });
    apply({ type: 'node.failed', nodeId: 'p/b', durationMs: 1, error: { nodeId: 'p/b', code: 'boom', message: 'it broke' } });
    apply({ type: 'node.skipped', nodeId: 'p/c', reason: 'upstream_failed', upstream: 'p/b' });
    expect(node('p')).toMatchObject({ status: 'failed', error: { code: 'boom', message: 'b: it broke' } });
    apply({ type: 'run.finished', status: 'failed', durationMs: 2, outputs: {}, errors: [{ nodeId: 'p/b', code: 'boom', message: 'it broke' }] });
    expect(node('p')?.status).toBe('failed');
  });

  it('rolls nested pipelines up to the canvas node and settles a cancelled one as skipped', () => {
    apply({ type: 'run.started', runId: 'run-1', nodeIds: ['p/q/a', 'p/b'] });
    apply({ type: 'node.finished', nodeId: 'p/q/a', cacheKey: 'k', durationMs: 1, outputs: {} });
    expect(node('p')).toMatchObject({ status: 'running', progress: 0.5 });
    expect(node('p/q')).toBeUndefined();
    apply({ type: 'run.finished', status: 'cancelled', durationMs: 2, outputs: {}, errors: [] });
    expect(node('p/b')?.status).toBe('skipped');
    expect(node('p')).toMatchObject({ status: 'skipped', message: '1 of 2 inner nodes ran' });
  });
});
