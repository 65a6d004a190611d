import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { startRun, type RunOptions } from '../../engine/executor';
import { MemoryResultCache } from '../../engine/result-cache';
import type { RunEvent } from '../../engine/run-events';
import { GraphValidationError } from '../../engine/validation-error';
import { DiskArtifactStore } from '../../server/storage/disk-artifact-store';
import { graph } from '../helpers/graph-builder';
import { calls, stubRegistry } from '../helpers/stub-nodes';

const artifacts = new DiskArtifactStore(mkdtempSync(join(tmpdir(), 'pw-exec-')));

function run(document: unknown, extra: Partial<RunOptions> = {}) {
  return startRun({ registry: stubRegistry, document, services: { artifacts }, ...extra });
}

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

// one → double(+one) → plusTen, and an independent two → three.
const diamond = graph(
  [
    { id: 'one', type: 'test.const', params: { value: 1 } },
    { id: 'double', type: 'test.add' },
    { id: 'plusTen', type: 'test.add', params: { offset: 10 } },
    { id: 'two', type: 'test.const', params: { value: 2 } },
    { id: 'three', type: 'test.add', params: { offset: 1 } },
  ],
  ['one.value -> double.a', 'one.value -> double.b', 'double.sum -> plusTen.a', 'two.value -> three.a'],
  {
    outputs: [
      { name: 'main', kind: 'number', source: { node: 'plusTen', port: 'sum' } },
      { name: 'side', kind: 'number', source: { node: 'three', port: 'sum' } },
    ],
  },
);

beforeEach(() => calls.clear());

describe('executor', () => {
  it('runs in dependency order and returns graph outputs with a complete, ordered event stream', async () => {
    const handle = run(diamond);
    const [events, result] = await Promise.all([collect(handle.events), handle.result]);
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ main: 12, side: 3 });
    expect(events[0]).toMatchObject({ type: 'run.started', nodeIds: ['one', 'two', 'double', 'three', 'plusTen'] });
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'succeeded' });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const finishedAt = (id: string) => events.findIndex((e) => e.type === 'node.finished' && e.nodeId === id);
    const startedAt = (id: string) => events.findIndex((e) => e.type === 'node.started' && e.nodeId === id);
    expect(finishedAt('one')).toBeLessThan(startedAt('double'));
    expect(finishedAt('double')).toBeLessThan(startedAt('plusTen'));
    expect(Object.values(result.nodes).every((n) => n.status === 'finished' && n.durationMs! >= 0)).toBe(true);
  });

  it('re-runs exactly the changed node and what depends on it', async () => {
    const cache = new MemoryResultCache();
    await run(diamond, { cache }).result;
    expect([...calls.values()].every((n) => n === 1)).toBe(true);

    const changed = structuredClone(diamond);
    changed.nodes.find((n) => n.id === 'double')!.params = { offset: 5 };
    calls.clear();
    const handle = run(changed, { cache });
    const [events, result] = await Promise.all([collect(handle.events), handle.result]);
    expect(result.outputs).toEqual({ main: 17, side: 3 });
    expect([...calls.keys()].sort()).toEqual(['double', 'plusTen']);
    const cached = events.filter((e) => e.type === 'node.cached').map((e) => (e.type === 'node.cached' ? e.nodeId : ''));
    expect(cached.sort()).toEqual(['one', 'three', 'two']);
    expect(result.nodes.one!.status).toBe('cached');

    // Same document again: everything comes from the cache.
    calls.clear();
    const again = await run(changed, { cache }).result;
    expect(calls.size).toBe(0);
    expect(again.outputs).toEqual({ main: 17, side: 3 });
  });

  it('treats params written in another key order, or with defaults spelled out, as the same', async () => {
    const cache = new MemoryResultCache();
    await run(graph([{ id: 'k', type: 'test.add', params: {} }, { id: 'c', type: 'test.const' }], ['c.value -> k.a']), { cache })
      .result;
    calls.clear();
    await run(graph([{ id: 'k', type: 'test.add', params: { offset: 0 } }, { id: 'c', type: 'test.const', params: { value: 0 } }], ['c.value -> k.a']), {
      cache,
    }).result;
    expect(calls.size).toBe(0);
  });

  it('runs independent branches concurrently', async () => {
    // Each gate waits until both have started: a serial executor would never finish this run.
    const doc = graph([
      { id: 'left', type: 'test.gate', params: { group: 'concurrency' } },
      { id: 'right', type: 'test.gate', params: { group: 'concurrency' } },
    ]);
    const result = await run(doc, { concurrency: 2 }).result;
    expect(result.status).toBe('succeeded');
  });

  it('bounds concurrency', async () => {
    const doc = graph(Array.from({ length: 6 }, (_, i) => ({ id: `c${i}`, type: 'test.const', params: { value: i } })));
    const handle = run(doc, { concurrency: 2 });
    let active = 0;
    let peak = 0;
    for await (const e of handle.events) {
      if (e.type === 'node.started') peak = Math.max(peak, ++active);
      if (e.type === 'node.finished') active--;
    }
    expect(peak).toBeLessThanOrEqual(2);
    expect((await handle.result).status).toBe('succeeded');
  });

  it('fails dependants of a failing node and keeps independent results', async () => {
    const doc = graph(
      [
        { id: 'bad', type: 'test.fail' },
        { id: 'after', type: 'test.add' },
        { id: 'later', type: 'test.add' },
        { id: 'ok', type: 'test.const', params: { value: 7 } },
      ],
      ['bad.value -> after.a', 'after.sum -> later.a'],
      { outputs: [{ name: 'ok', kind: 'number', source: { node: 'ok', port: 'value' } }] },
    );
    const handle = run(doc);
    const [events, result] = await Promise.all([collect(handle.events), handle.result]);
    expect(result.status).toBe('failed');
    expect(result.outputs).toEqual({ ok: 7 });
    expect(result.errors).toEqual([{ nodeId: 'bad', port: 'value', code: 'test_failure', message: 'this node always fails' }]);
    expect(result.nodes).toMatchObject({ bad: { status: 'failed' }, after: { status: 'skipped' }, later: { status: 'skipped' }, ok: { status: 'finished' } });
    expect(events.filter((e) => e.type === 'node.skipped')).toEqual([
      expect.objectContaining({ nodeId: 'after', reason: 'upstream_failed', upstream: 'bad' }),
      expect.objectContaining({ nodeId: 'later', reason: 'upstream_failed', upstream: 'bad' }),
    ]);
  });

  it('reports a crashing node as node_crashed without a stack', async () => {
    const result = await run(graph([{ id: 'x', type: 'test.fail', params: { crash: true } }])).result;
    expect(result.errors).toEqual([{ nodeId: 'x', code: 'node_crashed', message: 'boom: something broke inside' }]);
  });

  it('cancels promptly through an AbortSignal, skipping what had not run', async () => {
    const controller = new AbortController();
    const doc = graph([{ id: 'h', type: 'test.hang' }, { id: 'after', type: 'test.add' }], ['h.value -> after.a']);
    const handle = run(doc, { signal: controller.signal });
    const seen: RunEvent[] = [];
    for await (const e of handle.events) {
      seen.push(e);
      if (e.type === 'node.progress') controller.abort();
    }
    const result = await handle.result;
    expect(result.status).toBe('cancelled');
    expect(result.nodes).toMatchObject({ h: { status: 'cancelled' }, after: { status: 'cancelled' } });
    expect(seen.at(-1)).toMatchObject({ type: 'run.finished', status: 'cancelled' });
    expect(seen.some((e) => e.type === 'node.progress' && e.message === 'waiting for cancel')).toBe(true);
  });

  it('takes graph inputs, checks them, and keys the cache on their values', async () => {
    const doc = graph([{ id: 's', type: 'test.add', params: { offset: 1 } }], [], {
      inputs: [{ name: 'x', kind: 'number', targets: [{ node: 's', port: 'a' }] }],
      outputs: [{ name: 'y', kind: 'number', source: { node: 's', port: 'sum' } }],
    });
    const cache = new MemoryResultCache();
    expect((await run(doc, { inputs: { x: 41 }, cache }).result).outputs).toEqual({ y: 42 });
    expect((await run(doc, { inputs: { x: 1 }, cache }).result).outputs).toEqual({ y: 2 });
    expect(() => run(doc)).toThrow(GraphValidationError);
    expect(() => run(doc, { inputs: { x: 'nope' as never } })).toThrow(/must be number/);
    expect(() => run(doc, { inputs: { x: 1, y: 2 } })).toThrow(/no input "y"/);
  });

  it('lets a graph input set a param, validated by the param schema', async () => {
    const doc = graph([{ id: 'c', type: 'test.const', params: { value: 1 } }], [], {
      inputs: [{ name: 'amount', kind: 'number', required: false, default: 5, targets: [{ node: 'c', param: 'value' }] }],
      outputs: [{ name: 'y', kind: 'number', source: { node: 'c', port: 'value' } }],
    });
    expect((await run(doc).result).outputs).toEqual({ y: 5 });
    expect((await run(doc, { inputs: { amount: 9 } }).result).outputs).toEqual({ y: 9 });
    const tooBig = await run(doc, { inputs: { amount: 5000 } }).result;
    expect(tooBig.errors).toEqual([expect.objectContaining({ nodeId: 'c', param: 'value', code: 'invalid_param' })]);
  });

  it('refuses an invalid document with structured errors before running anything', () => {
    try {
      run(graph([{ id: 'a', type: 'test.add' }], ['a.sum -> a.a']));
      throw new Error('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(GraphValidationError);
      if (error instanceof GraphValidationError) expect(error.errors[0]).toMatchObject({ nodeId: 'a', code: 'cycle' });
    }
    expect(calls.size).toBe(0);
  });

  it('executes a 1,000-node chain', async () => {
    const nodes: Parameters<typeof graph>[0] = [{ id: 'n0', type: 'test.const', params: { value: 0 } }];
    const edges: string[] = [];
    for (let i = 1; i < 1000; i++) {
      nodes.push({ id: `n${i}`, type: 'test.add', params: { offset: 1 } });
      edges.push(`n${i - 1}.${i === 1 ? 'value' : 'sum'} -> n${i}.a`);
    }
    const doc = graph(nodes, edges, { outputs: [{ name: 'end', kind: 'number', source: { node: 'n999', port: 'sum' } }] });
    expect((await run(doc).result).outputs).toEqual({ end: 999 });
  });
});
