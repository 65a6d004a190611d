import { randomBytes } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArtifactStore } from '../../nodes/context';
import { MemoryResultCache } from '../../engine/result-cache';
import type { ResultIndex } from '../../server/ports/result-index';
import { executeJob, type ExecuteJobOptions } from '../../server/runs/execute-job';
import { summariesAreExact } from '../../server/runs/indexed-results';
import { zRunJob, type RunJobInput } from '../../server/runs/run-job';
import { zWireEvent, type OutputSummary, type WireEvent } from '../../server/runs/wire-events';
import { DiskResultIndex } from '../../server/storage/disk-result-index';
import { RedisResultIndex } from '../../server/storage/redis-result-index';
import { createResultIndex } from '../../server/storage/result-index-config';
import { graph } from '../helpers/graph-builder';
import { gradient } from '../helpers/images';
import { assertOrdered, putGradient, tempData } from './run-fixtures';

/**
 * The ResultIndex in executeJob, on real files and real sharp: cached nodes are reported
 * from the index (nothing encoded or stored again), and a worker with empty caches gets
 * `cached` for whatever another worker finished, with real pixels for the nodes after them.
 */
const data = await tempData();
const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
const prefix = `pw:test:result-index:${process.pid}:${randomBytes(4).toString('hex')}:`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await data.remove();
});

/** The real artifact store, counting what is put into it. */
function counting(store: ArtifactStore): ArtifactStore & { puts: number } {
  const counter = {
    puts: 0,
    put: (bytes: Buffer, meta: Parameters<ArtifactStore['put']>[1]) => {
      counter.puts++;
      return store.put(bytes, meta);
    },
    get: (id: string) => store.get(id),
    has: (id: string) => store.has(id),
  };
  return counter;
}

/** load → blur → grayscale → threshold (a mask and a number) → save (an image and json), with two graph outputs. */
function pipeline(source: string, level = 128) {
  return graph(
    [
      { id: 'load', type: 'image.load', params: { artifact: source } },
      { id: 'blur', type: 'image.blur', params: { sigma: 2 } },
      { id: 'grey', type: 'image.grayscale' },
      { id: 'threshold', type: 'image.threshold', params: { level } },
      { id: 'save', type: 'image.save', params: { filename: 'mask' } },
    ],
    ['load.image -> blur.image', 'blur.image -> grey.image', 'grey.image -> threshold.image', 'threshold.mask -> save.image'],
    {
      outputs: [
        { name: 'blurred', kind: 'image', source: { node: 'blur', port: 'image' } },
        { name: 'mask', kind: 'mask', source: { node: 'threshold', port: 'mask' } },
      ],
    },
  );
}
const nodeIds = ['load', 'blur', 'grey', 'threshold', 'save'];

async function execute(input: RunJobInput, options: ExecuteJobOptions) {
  const events: WireEvent[] = [];
  const outcome = await executeJob(zRunJob.parse(input), { ...options, onEvent: (e) => events.push(e) });
  for (const e of events) zWireEvent.parse(JSON.parse(JSON.stringify(e)));
  assertOrdered(events);
  const ended = (type: 'node.finished' | 'node.cached') =>
    events.flatMap((e) => (e.type === type ? [e.nodeId] : []));
  const outputsOf = Object.fromEntries(
    events.flatMap((e) => (e.type === 'node.finished' || e.type === 'node.cached' ? [[e.nodeId, e.outputs]] : [])),
  ) as Record<string, Record<string, OutputSummary>>;
  const keys = Object.fromEntries(events.flatMap((e) => (e.type === 'node.finished' || e.type === 'node.cached' ? [[e.nodeId, e.cacheKey]] : [])));
  return { events, outcome, finished: ended('node.finished'), cached: ended('node.cached'), outputsOf, keys };
}

const indexes: [string, () => ResultIndex][] = [
  ['disk', () => new DiskResultIndex(join(data.dataDir, 'result-index'))],
  ['redis', () => new RedisResultIndex(redis, { prefix })],
];

describe.each(indexes)('executeJob with a %s ResultIndex', (_name, makeIndex) => {
  it('re-runs every node from the index: zero artifacts put, identical ids; a second worker with empty caches gets every node cached', async () => {
    const source = await putGradient(data.artifacts, 640, 480);
    const job = { runId: 'first', document: pipeline(source) };
    const memory = new MemoryResultCache();
    const store = counting(data.artifacts);
    const first = await execute(job, { artifacts: store, cache: memory, resultIndex: makeIndex() });
    expect(first.outcome.status).toBe('succeeded');
    expect(first.finished).toEqual(nodeIds);
    expect(store.puts).toBeGreaterThan(0);
    // Every node's summaries are in the index, under its cache key.
    const index = makeIndex();
    for (const id of nodeIds) expect(await index.get(first.keys[id]!)).toEqual({ outputs: first.outputsOf[id] });

    // The same worker again: every node cached, nothing encoded or stored.
    const again = counting(data.artifacts);
    const second = await execute({ ...job, runId: 'second' }, { artifacts: again, cache: memory, resultIndex: makeIndex() });
    expect(second.cached).toEqual(nodeIds);
    expect(again.puts).toBe(0);
    expect(second.outputsOf).toEqual(first.outputsOf);
    expect(second.outcome.outputs).toEqual(first.outcome.outputs);
    // Cached image outputs are still previewed, with the stored previews.
    const previews = second.events.flatMap((e) => (e.type === 'node.preview' ? [`${e.nodeId}.${e.label}:${e.preview.artifactId}`] : []));
    const firstPreviews = Object.entries(first.outputsOf).flatMap(([node, outputs]) =>
      Object.entries(outputs).flatMap(([port, s]) => (s.kind === 'image' || s.kind === 'mask' ? [`${node}.${port}:${s.preview.artifactId}`] : [])),
    );
    expect(previews.sort()).toEqual(firstPreviews.sort());

    // Another worker: empty memory cache, no disk cache, the same artifact store and index.
    const remote = counting(data.artifacts);
    const third = await execute({ ...job, runId: 'third' }, { artifacts: remote, cache: new MemoryResultCache(), resultIndex: makeIndex() });
    expect(third.cached).toEqual(nodeIds);
    expect(third.finished).toEqual([]);
    expect(remote.puts).toBe(0);
    expect(third.outputsOf).toEqual(first.outputsOf);
    expect(third.outcome.outputs).toEqual(first.outcome.outputs);
  });

  it('gives nodes after the indexed ones the real pixels, decoded from the stored PNGs', async () => {
    const source = await putGradient(data.artifacts, 333, 222);
    await execute({ runId: 'pixels-1', document: pipeline(source, 100) }, { artifacts: data.artifacts, resultIndex: makeIndex() });
    // A fresh worker runs the graph with another threshold: load, blur and grey come from the index, threshold runs on them.
    const fresh = await execute({ runId: 'pixels-2', document: pipeline(source, 140) }, { artifacts: data.artifacts, cache: new MemoryResultCache(), resultIndex: makeIndex() });
    expect(fresh.cached).toEqual(['load', 'blur', 'grey']);
    expect(fresh.finished).toEqual(['threshold', 'save']);
    // The same graph from scratch, with no index, in another store: same pixels, so the same PNG bytes and ids.
    const other = await tempData();
    try {
      const otherSource = await putGradient(other.artifacts, 333, 222);
      expect(otherSource).toBe(source);
      const scratch = await execute({ runId: 'pixels-3', document: pipeline(source, 140) }, { artifacts: other.artifacts });
      expect(scratch.finished).toEqual(nodeIds);
      expect(fresh.outputsOf.threshold).toEqual(scratch.outputsOf.threshold);
      expect(fresh.outcome.outputs).toEqual(scratch.outcome.outputs);
    } finally {
      await other.remove();
    }
  });
});

describe('ResultIndex misses', () => {
  it('treats a corrupted disk entry as a miss: the node runs again and its entry is written anew', async () => {
    const source = await putGradient(data.artifacts, 200, 150);
    const indexDir = join(data.dataDir, 'corrupt-index');
    const first = await execute({ runId: 'corrupt-1', document: pipeline(source) }, { artifacts: data.artifacts, resultIndex: new DiskResultIndex(indexDir) });
    const blurKey = first.keys.blur!;
    const greyKey = first.keys.grey!;
    const file = (key: string) => join(indexDir, key.slice(0, 2), `${key}.json`);
    await writeFile(file(blurKey), '{"outputs": {"image": {"kind": "ima'); // truncated
    await writeFile(file(greyKey), JSON.stringify({ outputs: { image: { kind: 'image', artifactId: 'nope' } } })); // not an entry

    const second = await execute({ runId: 'corrupt-2', document: pipeline(source) }, { artifacts: data.artifacts, cache: new MemoryResultCache(), resultIndex: new DiskResultIndex(indexDir) });
    expect(second.outcome.status).toBe('succeeded');
    // Keys chain on keys, not on outputs: the nodes after the two misses are still answered by the index.
    expect(second.cached).toEqual(['load', 'threshold', 'save']);
    expect(second.finished).toEqual(['blur', 'grey']);
    expect(second.outputsOf).toEqual(first.outputsOf);
    expect(await new DiskResultIndex(indexDir).get(blurKey)).toEqual({ outputs: first.outputsOf.blur });
    expect(await new DiskResultIndex(indexDir).get(greyKey)).toEqual({ outputs: first.outputsOf.grey });
    // Only whole entries sit in the folder: no temp files left behind.
    const shards = await readdir(indexDir);
    for (const shard of shards) for (const name of await readdir(join(indexDir, shard))) expect(name).toMatch(/^[0-9a-f]{64}\.json$/);
  });

  it('treats an entry whose artifacts are gone as a miss, and an index that fails as no index', async () => {
    const source = await putGradient(data.artifacts, 120, 90);
    const indexDir = join(data.dataDir, 'gone-index');
    const index = new DiskResultIndex(indexDir);
    const first = await execute({ runId: 'gone-1', document: pipeline(source) }, { artifacts: data.artifacts, resultIndex: index });
    const blurKey = first.keys.blur!;
    const entry = await index.get(blurKey);
    if (entry?.outputs.image?.kind !== 'image') throw new Error('no blur entry');
    await index.set(blurKey, { outputs: { image: { ...entry.outputs.image, artifactId: 'f'.repeat(64) } } });
    const second = await execute({ runId: 'gone-2', document: pipeline(source) }, { artifacts: data.artifacts, cache: new MemoryResultCache(), resultIndex: index });
    expect(second.cached).toEqual(['load', 'grey', 'threshold', 'save']);
    expect(second.finished).toEqual(['blur']);
    expect(second.outputsOf).toEqual(first.outputsOf);
    expect(await index.get(blurKey)).toEqual({ outputs: first.outputsOf.blur });

    const broken: ResultIndex = {
      get: () => Promise.reject(new Error('index down')),
      set: () => Promise.reject(new Error('index down')),
    };
    const third = await execute({ runId: 'gone-3', document: pipeline(source) }, { artifacts: data.artifacts, resultIndex: broken });
    expect(third.outcome.status).toBe('succeeded');
    expect(third.finished).toEqual(nodeIds);
  });

  it('indexes only outputs whose summaries give them back exactly', () => {
    const image = gradient(4, 3);
    const summary = (value: unknown): OutputSummary => ({ kind: 'json', value: JSON.parse(JSON.stringify(value)) });
    const imageSummary: OutputSummary = {
      kind: 'image',
      artifactId: 'a'.repeat(64),
      mediaType: 'image/png',
      width: 4,
      height: 3,
      channels: 3,
      preview: { artifactId: 'b'.repeat(64), width: 4, height: 3, mediaType: 'image/webp' },
    };
    expect(summariesAreExact({ image, n: 2, j: { a: [1, 'x', null] } }, { image: imageSummary, n: summary(2), j: summary({ a: [1, 'x', null] }) })).toBe(true);
    expect(summariesAreExact({ n: Number.NaN }, { n: { kind: 'number', value: null } })).toBe(false);
    const boxes = [{ x: 1, y: 2, width: 3, height: 4, label: undefined }];
    expect(summariesAreExact({ boxes }, { boxes: { kind: 'boxes', value: [{ x: 1, y: 2, width: 3, height: 4 }] } })).toBe(true);
    expect(summariesAreExact({ j: [1, 2] }, { j: summary({ 0: 1, 1: 2 }) })).toBe(false);
    expect(summariesAreExact({ j: 'x' }, { j: summary('y') })).toBe(false);
    expect(summariesAreExact({ n: Number.POSITIVE_INFINITY }, { n: { kind: 'number', value: null } })).toBe(false);
    expect(summariesAreExact({ n: -0 }, { n: { kind: 'number', value: -0 } })).toBe(false);
    expect(summariesAreExact({ image }, { image: { ...imageSummary, channels: 4 } })).toBe(false);
    expect(summariesAreExact({ image, n: 1 }, { image: imageSummary })).toBe(false);
  });
});

describe('RedisResultIndex', () => {
  const key = (n: number) => n.toString(16).padStart(64, '0');
  const entry = { outputs: { text: { kind: 'text' as const, value: 'hello' } } };

  it('stores entries with a TTL under its prefix, and reads malformed values as misses', async () => {
    const index = new RedisResultIndex(redis, { prefix, ttlSeconds: 3600 });
    await index.set(key(1), entry);
    expect(await index.get(key(1))).toEqual(entry);
    const ttl = await redis.ttl(`${prefix}${key(1)}`);
    expect(ttl).toBeGreaterThan(3590);
    expect(ttl).toBeLessThanOrEqual(3600);
    expect(await new RedisResultIndex(redis, { prefix }).get(key(1))).toEqual(entry);
    expect(await new RedisResultIndex(redis, { prefix: `${prefix}other:` }).get(key(1))).toBeUndefined();
    // Default TTL: 30 days.
    await new RedisResultIndex(redis, { prefix }).set(key(2), entry);
    expect(await redis.ttl(`${prefix}${key(2)}`)).toBeGreaterThan(30 * 24 * 3600 - 10);

    await redis.set(`${prefix}${key(3)}`, 'not json');
    await redis.set(`${prefix}${key(4)}`, JSON.stringify({ outputs: { x: { kind: 'text' } } }));
    expect(await index.get(key(3))).toBeUndefined();
    expect(await index.get(key(4))).toBeUndefined();
    expect(await index.get(key(5))).toBeUndefined();
    // Keys that are not cache keys are neither read nor written.
    await index.set('../etc', entry);
    expect(await redis.exists(`${prefix}../etc`)).toBe(0);
  });

  it('is what createResultIndex makes for a Redis URL; without one it is files under dataDir/result-index', async () => {
    const viaRedis = createResultIndex({ dataDir: data.dataDir, redisUrl: 'redis://127.0.0.1:6379', prefix });
    await viaRedis.set(key(6), entry);
    expect(await redis.get(`${prefix}${key(6)}`)).toBe(JSON.stringify(entry));
    expect(await viaRedis.get(key(6))).toEqual(entry);
    await viaRedis.close();
    await createResultIndex({ dataDir: data.dataDir, redisUrl: 'redis://127.0.0.1:6379' }).close(); // never connected

    const onDisk = createResultIndex({ dataDir: data.dataDir });
    await onDisk.set(key(7), entry);
    expect(await new DiskResultIndex(join(data.dataDir, 'result-index')).get(key(7))).toEqual(entry);
    await onDisk.close();
  });
});
