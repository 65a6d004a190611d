import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { QueuedRun, WorkerView } from './types';
import { WorkerCard } from './worker-card';

const now = Date.parse('2026-01-01T12:00:00Z');
const remote: WorkerView = {
  id: 'w-gpu-1',
  name: 'gpu-box-1',
  host: 'gpu-box-1.internal',
  state: 'busy',
  heartbeatAt: now - 2_000,
  startedAt: now - 3_600_000,
  concurrency: 2,
  runIds: ['run-a', 'run-unknown'],
  otherRuns: 1,
  providers: ['cuda', 'cpu'],
  gpu: { name: 'NVIDIA H200', memoryMiB: 143_771 },
  models: [{ id: 'style/candy', sha256: 'ab12cd34ef56'.padEnd(64, '0') }, { id: 'diffusion/fashion-unet' }],
  cores: 16,
  memoryMiB: 131_072,
};
const runA = { id: 'run-a', graphId: 'g1', graphName: 'Portraits', status: 'running' } as QueuedRun;
/** Markup without React's comment markers, so text reads as it shows. */
const render = (worker: WorkerView) =>
  renderToStaticMarkup(createElement(WorkerCard, { worker, runs: new Map([[runA.id, runA]]), now })).replace(/<!-- -->/g, '');

describe('a remote worker card', () => {
  it('shows capabilities, heartbeat, and current runs (linked when readable, counted otherwise)', () => {
    const html = render(remote);
    expect(html).toContain('gpu-box-1.internal');
    expect(html).toContain('data-state="busy"');
    expect(html).toContain('2 s ago');
    expect(html).toContain('CUDA, CPU');
    expect(html).toContain('NVIDIA H200, 140 GiB');
    expect(html).toContain('16 cores, 128 GiB');
    expect(html).toContain('2 runs at a time');
    expect(html).toContain('href="/graphs/g1/runs?run=run-a"');
    expect(html).toContain('<code>run-unknown</code>');
    expect(html).toContain('1 other run');
    expect(html).toContain('2 models');
    expect(html).toContain('sha256 ab12cd34ef56…');
  });

  it('says when there is nothing running and no GPU', () => {
    const html = render({ ...remote, state: 'idle', runIds: [], otherRuns: 0, gpu: null });
    expect(html).toContain('nothing');
    expect(html).toContain('none reported');
  });
});
