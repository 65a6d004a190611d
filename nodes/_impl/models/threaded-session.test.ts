import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { modelPath } from './models-dir';
import { createThreadedSession, threadedSessionsAvailable } from './threaded-session';

const dir = mkdtempSync(join(tmpdir(), 'pw-threaded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const candy = modelPath('style', 'candy.onnx');
const options = { intraOpNumThreads: 2 };

describe('threaded sessions', () => {
  it('are available unless PIXELWIRE_ORT_THREADS=0', () => {
    expect(threadedSessionsAvailable({})).toBe(true);
    expect(threadedSessionsAvailable({ PIXELWIRE_ORT_THREADS: '0' })).toBe(false);
  });

  it('run inference off the event loop and give the same result as a session on this thread', async () => {
    const threaded = await createThreadedSession(candy, options);
    const local = await ort.InferenceSession.create(candy, options);
    expect(threaded.inputNames).toEqual(local.inputNames);
    expect(threaded.outputNames).toEqual(local.outputNames);
    expect(threaded.inputMetadata).toEqual(local.inputMetadata);

    const data = new Float32Array(3 * 384 * 384);
    for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 255;
    const feeds = () => ({ [local.inputNames[0]!]: new ort.Tensor('float32', data, [1, 3, 384, 384]) });
    // A timer that counts while the inference runs: on a thread of its own the event loop keeps turning.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    const fromThread = await threaded.run(feeds());
    const elapsed = performance.now() - started;
    clearInterval(timer);
    expect(ticks).toBeGreaterThanOrEqual(Math.min(3, Math.floor(elapsed / 20)));
    expect(ticks).toBeGreaterThan(0);

    const out = local.outputNames[0]!;
    const expected = (await local.run(feeds()))[out] as ort.Tensor;
    const got = fromThread[out] as ort.Tensor;
    expect(got.dims).toEqual(expected.dims);
    expect(got.type).toBe('float32');
    expect(Buffer.from((got.data as Float32Array).buffer).equals(Buffer.from((expected.data as Float32Array).buffer))).toBe(true);
    // The caller's array is copied, not taken: it is still usable.
    expect(data.length).toBe(3 * 384 * 384);

    await threaded.release();
    await local.release();
    await expect(threaded.run(feeds())).rejects.toThrow('released');
  });

  it("reject with onnxruntime's own message for a bad file or a bad feed", async () => {
    const junk = join(dir, 'junk.onnx');
    writeFileSync(junk, 'not a model');
    await expect(createThreadedSession(junk, options)).rejects.toThrow(/protobuf|parsing|load/i);

    const session = await createThreadedSession(candy, options);
    await expect(session.run({ nope: new ort.Tensor('float32', new Float32Array(3), [3]) })).rejects.toThrow(/nope|input/i);
    // The session still answers after a failed run.
    const ok = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', new Float32Array(3 * 64 * 64), [1, 3, 64, 64]) });
    expect((ok[session.outputNames[0]!] as ort.Tensor).dims).toEqual([1, 3, 64, 64]);
    await session.release();
  });
});
