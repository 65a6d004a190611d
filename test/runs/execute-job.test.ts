import sharp from 'sharp';
import { z } from 'zod';
import { afterAll, describe, expect, it } from 'vitest';
import { defineNode } from '../../nodes/define';
import { NodeRegistry } from '../../nodes/node-registry';
import { port } from '../../nodes/ports';
import { createImage } from '../../nodes/_impl/pixel-image';
import { builtinNodes } from '../../nodes/registry.ts';
import { MemoryResultCache } from '../../engine/result-cache';
import { executeJob } from '../../server/runs/execute-job';
import { zRunJob, type RunJobInput } from '../../server/runs/run-job';
import { zRunOutcome } from '../../server/runs/run-outcome';
import { zWireEvent, type ImageSummary, type OutputSummary, type WireEvent } from '../../server/runs/wire-events';
import { graph } from '../helpers/graph-builder';
import { gradient } from '../helpers/images';
import { assertOrdered, blurGraph, putGradient, putPng, tempData } from './run-fixtures';

const data = await tempData();
afterAll(() => data.remove());
const { artifacts } = data;

async function execute(input: RunJobInput, extra: Partial<Parameters<typeof executeJob>[1]> = {}) {
  const events: WireEvent[] = [];
  const outcome = await executeJob(zRunJob.parse(input), { artifacts, onEvent: (e) => events.push(e), ...extra });
  // What crosses the process boundary must be what the schemas say.
  for (const e of events) zWireEvent.parse(JSON.parse(JSON.stringify(e)));
  zRunOutcome.parse(JSON.parse(JSON.stringify(outcome)));
  return { events, outcome };
}

function isImage(summary: OutputSummary | undefined): summary is ImageSummary {
  return summary?.kind === 'image' || summary?.kind === 'mask';
}

async function decoded(artifactId: string) {
  const stored = await artifacts.get(artifactId);
  if (!stored) throw new Error(`no artifact ${artifactId}`);
  return sharp(stored.bytes).metadata();
}

describe('executeJob', () => {
  it('runs load → blur → save and reports every image as stored PNG plus preview', async () => {
    const source = await putGradient(artifacts, 1200, 800);
    const { events, outcome } = await execute({ runId: 'blur-1', document: blurGraph(source) });
    assertOrdered(events);
    // Each node's events keep their order; a node's status does not wait for another node's full-size PNG,
    // so a node may start before the node.finished of the one before it (which waits for the PNG) goes out.
    const names = (node: string) => events.filter((e) => 'nodeId' in e && e.nodeId === node).map((e) => e.type);
    for (const node of ['load', 'blur', 'save']) expect(names(node)).toEqual(['node.queued', 'node.started', 'node.preview', 'node.finished']);
    expect(events[0]?.type).toBe('run.started');
    expect(events.at(-1)?.type).toBe('run.finished');
    expect(events).toHaveLength(14);
    // Each image output's preview goes out before its node.finished, and is the same preview it carries.
    for (const preview of events.filter((e) => e.type === 'node.preview')) {
      const finished = events.find((e) => e.type === 'node.finished' && e.nodeId === preview.nodeId);
      if (preview.type !== 'node.preview' || finished?.type !== 'node.finished') throw new Error('missing events');
      expect(preview.label).toBe('image');
      expect(finished.outputs.image).toMatchObject({ preview: preview.preview });
    }
    expect(outcome).toMatchObject({ runId: 'blur-1', status: 'succeeded', attempts: 1, errors: [] });

    const load = events.find((e) => e.type === 'node.finished' && e.nodeId === 'load');
    const blur = events.find((e) => e.type === 'node.finished' && e.nodeId === 'blur');
    const save = events.find((e) => e.type === 'node.finished' && e.nodeId === 'save');
    if (load?.type !== 'node.finished' || blur?.type !== 'node.finished' || save?.type !== 'node.finished') throw new Error('missing events');
    expect(load.outputs.width).toEqual({ kind: 'number', value: 1200 });
    expect(save.outputs.artifact).toMatchObject({ kind: 'json', value: { filename: 'blurred.png', width: 1200 } });
    const image = blur.outputs.image;
    if (!isImage(image)) throw new Error('blur output is not an image summary');
    expect(image).toMatchObject({ kind: 'image', width: 1200, height: 800, channels: 3, mediaType: 'image/png' });
    expect(image.preview).toMatchObject({ width: 512, height: 341, mediaType: 'image/webp' });
    expect(await decoded(image.artifactId)).toMatchObject({ format: 'png', width: 1200, height: 800 });
    expect(await decoded(image.preview.artifactId)).toMatchObject({ format: 'webp', width: 512, height: 341 });
    // The same pixels passed through save and out as the graph output are stored once.
    expect(save.outputs.image).toEqual(image);
    expect(outcome.outputs.blurred).toEqual(image);
    const finished = events.at(-1);
    expect(finished?.type === 'run.finished' && finished.outputs.blurred).toEqual(image);
  });

  it('reads only the artifacts the job lists (what the server checked), plus what the run stores itself', async () => {
    const source = await putGradient(artifacts, 64, 48);
    const other = await putGradient(artifacts, 40, 30);
    const allowed = await execute({ runId: 'scoped-ok', document: blurGraph(source), artifacts: [source] });
    expect(allowed.outcome.status).toBe('succeeded');
    const { outcome } = await execute({ runId: 'scoped-refused', document: blurGraph(other), artifacts: [source] });
    expect(outcome.status).toBe('failed');
    expect(outcome.errors).toEqual([expect.objectContaining({ nodeId: 'load', code: 'artifact_not_found' })]);
  });

  it('reports cache hits with the same summaries', async () => {
    const source = await putGradient(artifacts, 300, 200);
    const cache = new MemoryResultCache();
    const first = await execute({ runId: 'c1', document: blurGraph(source, 2) }, { cache });
    const second = await execute({ runId: 'c2', document: blurGraph(source, 2) }, { cache });
    const cached = second.events.filter((e) => e.type === 'node.cached').map((e) => e.nodeId);
    expect(cached).toEqual(['load', 'blur', 'save']);
    expect(second.outcome.outputs).toEqual(first.outcome.outputs);
  });

  it('throttles progress and previews: the first at once, the last before the node finishes', async () => {
    const chatty = defineNode({
      type: 'test.chatty',
      version: 1,
      title: 'Chatty',
      category: 'test',
      inputs: { image: port.image() },
      params: z.object({ steps: z.number().int().default(50) }),
      outputs: { image: port.image() },
      run({ inputs, params, ctx }) {
        for (let i = 1; i <= params.steps; i++) {
          ctx.progress(i / params.steps, `step ${i}`);
          ctx.preview(inputs.image, `step ${i}`);
        }
        return { image: inputs.image };
      },
    });
    const registry = new NodeRegistry([...builtinNodes, chatty]);
    const source = await putPng(artifacts, gradient(900, 300));
    const document = graph([{ id: 'chat', type: 'test.chatty' }], [], {
      inputs: [{ name: 'photo', kind: 'image', targets: [{ node: 'chat', port: 'image' }] }],
    });
    // A clock that never moves: everything after the first of each kind is held until the node ends.
    const frozen = { now: () => 0, schedule: () => () => {} };
    const { events } = await execute(
      { runId: 'chatty', document, inputs: { photo: { kind: 'artifact', artifactId: source } }, previewFormat: 'jpeg', previewMaxSide: 256 },
      { registry, throttle: { clock: frozen } },
    );
    assertOrdered(events);
    const progress = events.filter((e) => e.type === 'node.progress');
    expect(progress.map((e) => e.fraction)).toEqual([0.02, 1]);
    const previews = events.filter((e) => e.type === 'node.preview');
    // The node's own previews (throttled), then the preview of its image output.
    expect(previews.map((e) => e.label)).toEqual(['step 1', 'step 50', 'image']);
    for (const p of previews) {
      expect(p.preview).toMatchObject({ width: 256, height: 85, mediaType: 'image/jpeg' });
      expect(await decoded(p.preview.artifactId)).toMatchObject({ format: 'jpeg', width: 256, height: 85 });
    }
    // Held events go out before the node's end.
    const order = events.map((e) => e.type);
    expect(order.lastIndexOf('node.preview')).toBeLessThan(order.indexOf('node.finished'));
  });

  it("sends a node's status without waiting for another node's full-size PNG", async () => {
    // A node whose output is a large noisy image (its PNG takes a while to encode), then a quick node after it.
    const noisy = defineNode({
      type: 'test.noisy',
      version: 1,
      title: 'Noisy',
      category: 'test',
      inputs: {},
      params: z.object({}),
      outputs: { image: port.image() },
      run() {
        const data = Buffer.alloc(2400 * 2400 * 3);
        for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
        return { image: createImage(2400, 2400, 3, data) };
      },
    });
    const tick = defineNode({
      type: 'test.tick',
      version: 1,
      title: 'Tick',
      category: 'test',
      inputs: { image: port.image() },
      params: z.object({}),
      outputs: { width: port.number() },
      run({ inputs, ctx }) {
        ctx.progress(0.5, 'half');
        return { width: inputs.image.width };
      },
    });
    const registry = new NodeRegistry([...builtinNodes, noisy, tick]);
    const document = graph(
      [
        { id: 'noise', type: 'test.noisy' },
        { id: 'tick', type: 'test.tick' },
      ],
      ['noise.image -> tick.image'],
    );
    const { events, outcome } = await execute({ runId: 'no-wait', document }, { registry });
    assertOrdered(events);
    expect(outcome.status).toBe('succeeded');
    const at = (type: string, node: string) => events.findIndex((e) => e.type === type && 'nodeId' in e && e.nodeId === node);
    // The quick node started, made progress and finished (no images to store) before the noisy node's PNG was stored.
    expect(at('node.started', 'tick')).toBeGreaterThan(-1);
    expect(at('node.progress', 'tick')).toBeLessThan(at('node.finished', 'noise'));
    expect(at('node.started', 'tick')).toBeLessThan(at('node.finished', 'noise'));
    // The noisy node's own events stay in order, and its preview still goes out before its node.finished.
    expect(events.filter((e) => 'nodeId' in e && e.nodeId === 'noise').map((e) => e.type)).toEqual(['node.queued', 'node.started', 'node.preview', 'node.finished']);
    expect(events.at(-1)?.type).toBe('run.finished');
  });

  it('turns an invalid document into a failed outcome with structured errors', async () => {
    const document = graph([{ id: 'x', type: 'image.nope' }, { id: 'b', type: 'image.blur', params: { sigma: -4 } }]);
    const { events, outcome } = await execute({ runId: 'bad-doc', document });
    expect(outcome).toMatchObject({ status: 'failed', attempts: 1, outputs: {}, nodes: {} });
    expect(outcome.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ nodeId: 'x', code: 'unknown_node_type' }),
        expect.objectContaining({ nodeId: 'b', code: 'invalid_param', param: 'sigma' }),
      ]),
    );
    expect(events).toEqual([expect.objectContaining({ type: 'run.finished', seq: 1, status: 'failed', errors: outcome.errors })]);

    const notAGraph = await execute({ runId: 'not-a-graph', document: { hello: 'world' } });
    expect(notAGraph.outcome.status).toBe('failed');
    expect(notAGraph.outcome.errors[0]).toMatchObject({ nodeId: null, code: 'invalid_document' });
  });

  it('names the graph input at fault when inputs are missing, unreadable or of the wrong kind', async () => {
    const notImage = (await artifacts.put(Buffer.from('not an image'), { mediaType: 'image/png' })).id;
    const document = graph([{ id: 'blur', type: 'image.blur' }, { id: 'blur2', type: 'image.blur' }], [], {
      inputs: [
        { name: 'a', kind: 'image', targets: [{ node: 'blur', port: 'image' }] },
        { name: 'b', kind: 'image', targets: [{ node: 'blur2', port: 'image' }] },
        { name: 'sigma', kind: 'number', required: false, targets: [{ node: 'blur', param: 'sigma' }] },
      ],
    });
    const { outcome } = await execute({
      runId: 'bad-inputs',
      document,
      inputs: {
        a: { kind: 'artifact', artifactId: 'f'.repeat(64) },
        b: { kind: 'artifact', artifactId: notImage },
        sigma: { kind: 'artifact', artifactId: notImage },
        extra: { kind: 'artifact', artifactId: notImage },
      },
    });
    expect(outcome.status).toBe('failed');
    const byInput = Object.fromEntries(outcome.errors.map((e) => [e.input, e.code]));
    expect(byInput).toEqual({ a: 'artifact_not_found', b: 'image_decode_failed', sigma: 'invalid_graph_input', extra: 'invalid_graph_input' });

    const wrongValue = await execute({
      runId: 'bad-value',
      document,
      inputs: { a: { kind: 'value', value: 'hello' }, b: { kind: 'value', value: 1 } },
    });
    expect(wrongValue.outcome.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ nodeId: null, code: 'invalid_graph_input', message: expect.stringContaining('"a"') })]),
    );
  });

  it('decodes artifact inputs under the job limits and reduces mask inputs to grey', async () => {
    const source = await putGradient(artifacts, 64, 32);
    const document = graph([{ id: 'morph', type: 'image.morphology' }], [], {
      inputs: [{ name: 'm', kind: 'mask', targets: [{ node: 'morph', port: 'image' }] }],
      outputs: [{ name: 'out', kind: 'mask', source: { node: 'morph', port: 'image' } }],
    });
    const ok = await execute({ runId: 'mask', document, inputs: { m: { kind: 'artifact', artifactId: source } } });
    expect(ok.outcome.outputs.out).toMatchObject({ kind: 'mask', channels: 1, width: 64, height: 32 });

    const tooBig = await execute({ runId: 'limits', document, inputs: { m: { kind: 'artifact', artifactId: source } }, limits: { maxPixels: 1000 } });
    expect(tooBig.outcome.errors).toEqual([expect.objectContaining({ input: 'm', code: 'image_too_large' })]);
  });

  it('ends cancelled when the signal is already aborted', async () => {
    const source = await putGradient(artifacts, 100, 100);
    const { outcome, events } = await execute({ runId: 'aborted', document: blurGraph(source) }, { signal: AbortSignal.abort() });
    expect(outcome.status).toBe('cancelled');
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'cancelled' });
  });
});
