import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { OnnxGraphBuilder } from '../../../test/helpers/onnx-writer';
import { ComputeSlots } from './compute-slots';
import type { ModelSession } from './threaded-session';
import { defaultCacheMb, ModelRuntime, runtimeConfigFromEnv, type RuntimeConfig } from './model-runtime';

/** The shared onnxruntime session cache, on small models written for the test (y = x + w, w of `size` floats). */
const dir = mkdtempSync(join(tmpdir(), 'pw-runtime-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeModel(name: string, size: number, value = 1): string {
  const g = new OnnxGraphBuilder(name);
  g.input('x', 'float32', [size]).initializer('w', new Float32Array(size).fill(value), [size]);
  g.node('Add', ['x', 'w'], ['y']).output('y', 'float32', [size]);
  const path = join(dir, `${name}.onnx`);
  writeFileSync(path, g.toModelBytes());
  return path;
}

const source = { what: "test model 'x'", getFrom: 'the test itself' };
const kib = 1024;
// Each model holds 10,000 floats: just over 40 KB on disk.
const a = writeModel('a', 10_000, 1);
const b = writeModel('b', 10_000, 2);
const c = writeModel('c', 10_000, 3);
const config = (extra: Partial<RuntimeConfig> = {}): RuntimeConfig => ({ providers: ['cpu'], maxCachedBytes: 1024 * kib, spinning: true, slots: 1, threads: 1, ...extra });
const cpuOnly = (maxKiB: number) => new ModelRuntime(config({ maxCachedBytes: maxKiB * kib }));
const run = async (session: ModelSession) => ((await session.run({ x: new ort.Tensor('float32', new Float32Array(10_000), [10_000]) })).y!.data as Float32Array)[0];

describe('ModelRuntime', () => {
  it('creates sessions lazily, once per model file, shared by every caller', async () => {
    const runtime = cpuOnly(1024);
    expect(runtime.cachedModels()).toEqual([]);
    const [first, second] = await Promise.all([runtime.load(a, source), runtime.load(a, source)]);
    expect(second.session).toBe(first.session);
    expect(first).toMatchObject({ provider: 'cpu', path: a });
    expect(first.bytes).toBeGreaterThan(40_000);
    expect(await run(first.session)).toBe(1);
    expect(runtime.cachedModels()).toEqual([a]);
  });

  it('evicts the least recently used models when their files add up to more than the budget', async () => {
    const runtime = cpuOnly(100); // room for two
    const first = await runtime.load(a, source);
    await runtime.load(b, source);
    await runtime.load(a, source); // a is now the most recently used
    await runtime.load(c, source);
    expect(runtime.cachedModels().sort()).toEqual([a, c].sort());
    // An evicted model loads again as a new session.
    const again = await runtime.load(b, source);
    expect(await run(again.session)).toBe(2);
    // …and pushes out the least recently used again, now a.
    expect(runtime.cachedModels().sort()).toEqual([b, c].sort());
    expect((await runtime.load(a, source)).session).not.toBe(first.session);
  });

  it('never evicts the model just loaded, even when it alone is over budget', async () => {
    const runtime = cpuOnly(10);
    const loaded = await runtime.load(a, source);
    expect(runtime.cachedModels()).toEqual([a]);
    expect(await run(loaded.session)).toBe(1);
  });

  it('release waits for a run in flight (an evicted session may still be finishing a batch)', async () => {
    const { session } = await cpuOnly(1024).load(b, source);
    const running = run(session);
    const released = session.release();
    expect(await running).toBe(2);
    await released;
    await expect(run(session)).rejects.toThrow();
  });

  it('falls back to CPU with one warning when CUDA is asked for and unavailable', async () => {
    const runtime = new ModelRuntime(config({ providers: ['cuda', 'cpu'] }));
    const loaded = await runtime.load(a, source);
    // CI has no GPU and installs onnxruntime-node without its CUDA libraries.
    expect(loaded.provider).toBe('cpu');
    expect(runtime.warnings).toHaveLength(1);
    expect(runtime.warnings[0]).toMatch(/CUDA was asked for but cannot be used .*running on CPU.*ONNXRUNTIME_NODE_INSTALL=cuda12/);
    await runtime.load(b, source);
    expect(runtime.warnings).toHaveLength(1);
    // Only CUDA listed: CPU is still the last resort.
    expect((await new ModelRuntime(config({ providers: ['cuda'], spinning: false })).load(c, source)).provider).toBe('cpu');
  });

  it('a missing file is model_missing saying where to put it and where to get it; a corrupt one is model_invalid', async () => {
    const runtime = cpuOnly(1024);
    await expect(runtime.load(join(dir, 'absent.onnx'), source)).rejects.toMatchObject({
      code: 'model_missing',
      message: `test model 'x' is not installed: put it at ${join(dir, 'absent.onnx')} (get it from the test itself)`,
    });
    const corrupt = join(dir, 'corrupt.onnx');
    writeFileSync(corrupt, 'definitely not protobuf');
    await expect(runtime.load(corrupt, source)).rejects.toMatchObject({ code: 'model_invalid', message: expect.stringContaining(corrupt) });
    // A failed load is not cached: fixing the file fixes the next load.
    writeFileSync(corrupt, Buffer.from(new OnnxGraphBuilder('ok').input('x', 'float32', [1]).node('Identity', ['x'], ['y']).output('y', 'float32', [1]).toModelBytes()));
    expect((await runtime.load(corrupt, source)).provider).toBe('cpu');
  });

  it('loads a model again when its file was replaced by another of the same name', async () => {
    const runtime = cpuOnly(1024);
    const path = join(dir, 'replaced.onnx');
    copyFileSync(a, path);
    const first = await runtime.load(path, source);
    expect(await run(first.session)).toBe(1);
    expect((await runtime.load(path, source)).session).toBe(first.session);
    copyFileSync(b, path);
    const second = await runtime.load(path, source);
    expect(second.session).not.toBe(first.session);
    expect(await run(second.session)).toBe(2);
    expect(runtime.cachedModels()).toEqual([path]);
    rmSync(path);
    await expect(runtime.load(path, source)).rejects.toMatchObject({ code: 'model_missing' });
  });

  it('creates sessions with the intra-op threads of the budget', () => {
    expect(new ModelRuntime(config({ threads: 3 })).sessionOptions()).toMatchObject({ intraOpNumThreads: 3 });
  });
});

describe('the compute budget', () => {
  it('serialises two model runs with one slot: the second waits until the first ends', async () => {
    const runtime = cpuOnly(1024);
    const { session } = await runtime.load(a, source);
    const signal = new AbortController().signal;
    const first = runtime.inference(signal, () => run(session));
    const second = runtime.inference(signal, () => run(session));
    expect(runtime.slots.inUse).toBe(1);
    expect(runtime.slots.queued).toBe(1);
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    expect(runtime.slots.inUse).toBe(0);
    // Two slots: both run at once.
    const two = new ModelRuntime(config({ slots: 2 }));
    const loaded = await two.load(a, source);
    const both = Promise.all([two.inference(signal, () => run(loaded.session)), two.inference(signal, () => run(loaded.session))]);
    expect(two.slots.inUse).toBe(2);
    expect(two.slots.queued).toBe(0);
    expect(await both).toEqual([1, 1]);
  });

  it('a node cancelled while it waits for a slot rejects with an AbortError (reported as cancelled) and leaves the queue', async () => {
    const runtime = cpuOnly(1024);
    const { session } = await runtime.load(a, source);
    const held = await runtime.slots.acquire();
    const controller = new AbortController();
    let ran = false;
    const waiting = runtime.inference(controller.signal, async () => {
      ran = true;
      return run(session);
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(runtime.slots.queued).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(ran).toBe(false);
    expect(runtime.slots.queued).toBe(0);
    held();
    expect(runtime.slots.inUse).toBe(0);
  });
});

describe('ComputeSlots', () => {
  it('grants slots in arrival order, at most size at once', async () => {
    const slots = new ComputeSlots(2);
    const order: number[] = [];
    let holding = 0;
    let most = 0;
    await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        slots.run(undefined, async () => {
          order.push(i);
          most = Math.max(most, ++holding);
          await new Promise((resolve) => setTimeout(resolve, 5));
          holding--;
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
    expect(slots.inUse).toBe(0);
  });

  it('refuses at once when the signal is already aborted, and a release given twice counts once', async () => {
    const slots = new ComputeSlots(1);
    const controller = new AbortController();
    controller.abort();
    await expect(slots.acquire(controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    const release = await slots.acquire();
    release();
    release();
    expect(slots.inUse).toBe(0);
    const again = await slots.acquire();
    expect(slots.inUse).toBe(1);
    again();
    expect(() => new ComputeSlots(0)).toThrow(RangeError);
  });
});

describe('runtimeConfigFromEnv', () => {
  it('reads providers in order and the cache budget, with safe defaults', () => {
    expect(runtimeConfigFromEnv({ PIXELWIRE_EXECUTION_PROVIDERS: ' CUDA, cpu ', PIXELWIRE_MODEL_CACHE_MB: '512', PIXELWIRE_ORT_SPIN: '0' }, 8)).toEqual({
      providers: ['cuda', 'cpu'],
      maxCachedBytes: 512 * 1024 * 1024,
      spinning: false,
      slots: 1,
      threads: 8,
    });
    const defaults = { providers: ['cpu'], maxCachedBytes: defaultCacheMb * 1024 * 1024, spinning: true, slots: 1, threads: 2 };
    expect(runtimeConfigFromEnv({}, 2)).toEqual(defaults);
    expect(runtimeConfigFromEnv({ PIXELWIRE_EXECUTION_PROVIDERS: 'tpu', PIXELWIRE_MODEL_CACHE_MB: 'lots' }, 2)).toEqual(defaults);
  });

  it('splits the cores between the model slots: slots × threads ≤ cores unless both are set', () => {
    expect(runtimeConfigFromEnv({ PIXELWIRE_MODEL_SLOTS: '2' }, 8)).toMatchObject({ slots: 2, threads: 4 });
    expect(runtimeConfigFromEnv({ PIXELWIRE_MODEL_SLOTS: '3' }, 8)).toMatchObject({ slots: 3, threads: 2 });
    expect(runtimeConfigFromEnv({ PIXELWIRE_MODEL_SLOTS: '4' }, 2)).toMatchObject({ slots: 4, threads: 1 });
    expect(runtimeConfigFromEnv({ PIXELWIRE_MODEL_THREADS: '3' }, 8)).toMatchObject({ slots: 1, threads: 3 });
    expect(runtimeConfigFromEnv({ PIXELWIRE_MODEL_SLOTS: '2', PIXELWIRE_MODEL_THREADS: '8' }, 8)).toMatchObject({ slots: 2, threads: 8 });
    for (const bad of ['0', '-1', '1.5', 'many', '', ' ']) {
      expect(runtimeConfigFromEnv({ PIXELWIRE_MODEL_SLOTS: bad, PIXELWIRE_MODEL_THREADS: bad }, 4)).toMatchObject({ slots: 1, threads: 4 });
    }
  });
});
