import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bypassSources } from '../../engine/bypass';
import { startRun, type RunOptions } from '../../engine/executor';
import { MemoryResultCache } from '../../engine/result-cache';
import { validateDocument } from '../../engine/validate';
import { NodeRegistry } from '../../nodes/node-registry';
import { builtinNodes } from '../../nodes/registry';
import { DiskArtifactStore } from '../../server/storage/disk-artifact-store';
import { graph } from '../helpers/graph-builder';
import { gradient } from '../helpers/images';
import { addNode, calls, constNode, toTextNode } from '../helpers/stub-nodes';

const artifacts = new DiskArtifactStore(mkdtempSync(join(tmpdir(), 'pw-any-')));
const registry = new NodeRegistry([...builtinNodes, constNode, addNode, toTextNode]);
const run = (document: unknown, extra: Pick<RunOptions, 'inputs' | 'cache'> = {}) => startRun({ registry, document, services: { artifacts }, ...extra });

const photoIn = (targets: { node: string; port: string }[]) => ({ inputs: [{ name: 'photo', kind: 'image' as const, targets }] });

describe('reroute points (util.reroute)', () => {
  // photo → r1 → r2 → blur; output `result` read through a third reroute.
  const rerouted = graph(
    [
      { id: 'r1', type: 'util.reroute' },
      { id: 'r2', type: 'util.reroute' },
      { id: 'blur', type: 'image.blur', params: { sigma: 2 } },
      { id: 'r3', type: 'util.reroute' },
    ],
    ['r1.value -> r2.value', 'r2.value -> blur.image', 'blur.image -> r3.value'],
    { ...photoIn([{ node: 'r1', port: 'value' }]), outputs: [{ name: 'result', kind: 'image', source: { node: 'r3', port: 'value' } }] },
  );
  const direct = graph([{ id: 'blur', type: 'image.blur', params: { sigma: 2 } }], [], {
    ...photoIn([{ node: 'blur', port: 'image' }]),
    outputs: [{ name: 'result', kind: 'image', source: { node: 'blur', port: 'image' } }],
  });

  it('take the kind of what feeds them, through chains of reroutes', () => {
    const checked = validateDocument(rerouted, registry);
    if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
    expect(checked.plan.byId.get('r2')?.outputKinds).toEqual({ value: 'image' });
    expect(checked.plan.byId.get('r3')?.inputKinds).toEqual({ value: 'image' });
  });

  it('run as if the wire went straight, and keep the cache: what reads a reroute is keyed by its source', async () => {
    const photo = gradient(48, 32);
    const cache = new MemoryResultCache();
    const straight = await run(direct, { inputs: { photo }, cache }).result;
    const viaReroutes = await run(rerouted, { inputs: { photo }, cache }).result;
    expect(viaReroutes.status).toBe('succeeded');
    expect(viaReroutes.outputs.result).toEqual(straight.outputs.result);
    // The blur did not run again for the rerouted graph: the cache answered it.
    expect(viaReroutes.nodes.blur).toMatchObject({ status: 'cached', cacheKey: straight.nodes.blur?.cacheKey });
  });

  it('still have the wire checked end to end: text through a reroute into an image input is refused', () => {
    const doc = graph(
      [
        { id: 'n', type: 'test.const', params: { value: 3 } },
        { id: 't', type: 'test.to-text' },
        { id: 'r', type: 'util.reroute' },
        { id: 'blur', type: 'image.blur' },
      ],
      ['n.value -> t.value', 't.text -> r.value', 'r.value -> blur.image'],
    );
    const checked = validateDocument(doc, registry);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    // The refused wire also leaves the input unconnected (missing_input), as for any refused wire.
    expect(checked.errors).toContainEqual(expect.objectContaining({ nodeId: 'blur', port: 'image', code: 'incompatible_ports', message: 'r.value gives text but input "image" takes image' }));
    expect(new Set(checked.errors.map((e) => `${e.nodeId}:${e.code}`))).toEqual(new Set(['blur:incompatible_ports', 'blur:missing_input']));
  });

  it('report an unfed reroute as its own missing input, and no kind error downstream', () => {
    const doc = graph([{ id: 'r', type: 'util.reroute' }, { id: 'blur', type: 'image.blur' }], ['r.value -> blur.image']);
    const checked = validateDocument(doc, registry);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toEqual([expect.objectContaining({ nodeId: 'r', port: 'value', code: 'missing_input' })]);
  });

  it('check a graph output read through a reroute against the kind it carries', () => {
    const doc = graph([{ id: 'n', type: 'test.const' }, { id: 'r', type: 'util.reroute' }], ['n.value -> r.value'], {
      outputs: [{ name: 'out', kind: 'image', source: { node: 'r', port: 'value' } }],
    });
    const checked = validateDocument(doc, registry);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toEqual([expect.objectContaining({ nodeId: 'r', code: 'incompatible_ports', message: 'graph output "out" is image but r.value gives number' })]);
  });

  it('in a loop of reroutes report the cycle and resolve no kind', () => {
    const doc = graph([{ id: 'a', type: 'util.reroute' }, { id: 'b', type: 'util.reroute' }], ['a.value -> b.value', 'b.value -> a.value']);
    const checked = validateDocument(doc, registry);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors.map((e) => e.code).sort()).toEqual(['cycle', 'cycle']);
  });
});

describe('Show value (util.show)', () => {
  it('takes every kind and passes the value on with that kind', async () => {
    const doc = graph(
      [
        { id: 'n', type: 'test.const', params: { value: 7 } },
        { id: 't', type: 'test.to-text' },
        { id: 'showNumber', type: 'util.show' },
        { id: 'showText', type: 'util.show' },
        { id: 'showImage', type: 'util.show' },
        { id: 'showBoxes', type: 'util.show' },
        { id: 'plus', type: 'test.add', params: { offset: 1 } },
      ],
      ['n.value -> showNumber.value', 'showNumber.value -> plus.a', 'n.value -> t.value', 't.text -> showText.value'],
      {
        inputs: [
          { name: 'photo', kind: 'image', targets: [{ node: 'showImage', port: 'value' }] },
          { name: 'regions', kind: 'boxes', targets: [{ node: 'showBoxes', port: 'value' }] },
        ],
        outputs: [
          { name: 'sum', kind: 'number', source: { node: 'plus', port: 'sum' } },
          { name: 'text', kind: 'text', source: { node: 'showText', port: 'value' } },
          { name: 'image', kind: 'image', source: { node: 'showImage', port: 'value' } },
          { name: 'boxes', kind: 'boxes', source: { node: 'showBoxes', port: 'value' } },
        ],
      },
    );
    const checked = validateDocument(doc, registry);
    if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
    expect(Object.fromEntries(['showNumber', 'showText', 'showImage', 'showBoxes'].map((id) => [id, checked.plan.byId.get(id)?.outputKinds.value]))).toEqual({
      showNumber: 'number',
      showText: 'text',
      showImage: 'image',
      showBoxes: 'boxes',
    });
    const photo = gradient(16, 8);
    const regions = [{ x: 1, y: 2, width: 3, height: 4, label: 'a' }];
    const handle = run(doc, { inputs: { photo, regions } });
    const finished = new Map<string, unknown>();
    for await (const event of handle.events) if (event.type === 'node.finished') finished.set(event.nodeId, event.outputs.value);
    const result = await handle.result;
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ sum: 8, text: '7', image: photo, boxes: regions });
    // Every show node's own node.finished carries the value it shows.
    expect(finished.get('showNumber')).toBe(7);
    expect(finished.get('showText')).toBe('7');
    expect(finished.get('showImage')).toBe(photo);
    expect(finished.get('showBoxes')).toEqual(regions);
  });

  it('does not let an image through to a number input', () => {
    const doc = graph([{ id: 's', type: 'util.show' }, { id: 'plus', type: 'test.add' }], ['s.value -> plus.a'], photoIn([{ node: 's', port: 'value' }]));
    const checked = validateDocument(doc, registry);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toContainEqual(expect.objectContaining({ nodeId: 'plus', port: 'a', code: 'incompatible_ports', message: 's.value gives image but input "a" takes number' }));
    expect(new Set(checked.errors.map((e) => `${e.nodeId}:${e.code}`))).toEqual(new Set(['plus:incompatible_ports', 'plus:missing_input']));
  });
});

describe('bypass with typed pass-through', () => {
  it('bypassSources: same name, else same kind, else one that connects; none for an output nothing can feed', () => {
    expect(bypassSources([{ name: 'image', kind: 'image' }], [{ name: 'image', kind: 'image' }])).toEqual({ image: 'image' });
    expect(bypassSources([{ name: 'a', kind: 'number' }, { name: 'b', kind: 'image' }], [{ name: 'out', kind: 'image' }])).toEqual({ out: 'b' });
    expect(bypassSources([{ name: 'm', kind: 'mask' }], [{ name: 'out', kind: 'image' }])).toEqual({ out: 'm' });
    expect(bypassSources([{ name: 'image', kind: 'image' }], [{ name: 'mask', kind: 'mask' }, { name: 'value', kind: 'number' }])).toEqual({ mask: undefined, value: undefined });
    expect(bypassSources([], [{ name: 'image', kind: 'image' }])).toEqual({ image: undefined });
  });

  it('a bypassed node forwards its input key: un-bypassed neighbours downstream stay cached across bypass and reroute edits', async () => {
    calls.clear();
    const cache = new MemoryResultCache();
    const chain = (bypass: boolean) =>
      graph(
        [
          { id: 'n', type: 'test.const', params: { value: 2 } },
          { id: 'middle', type: 'test.add', params: { offset: 100 }, bypass },
          { id: 'last', type: 'test.add', params: { offset: 1 } },
        ],
        ['n.value -> middle.a', 'middle.sum -> last.a'],
        { outputs: [{ name: 'out', kind: 'number', source: { node: 'last', port: 'sum' } }] },
      );
    const skipMiddle = graph(
      [
        { id: 'n', type: 'test.const', params: { value: 2 } },
        { id: 'last', type: 'test.add', params: { offset: 1 } },
      ],
      ['n.value -> last.a'],
      { outputs: [{ name: 'out', kind: 'number', source: { node: 'last', port: 'sum' } }] },
    );
    const first = await run(skipMiddle, { cache }).result;
    const bypassed = await run(chain(true), { cache }).result;
    expect(bypassed.outputs.out).toBe(3);
    expect(bypassed.nodes.last).toMatchObject({ status: 'cached', cacheKey: first.nodes.last?.cacheKey });
    const running = await run(chain(false), { cache }).result;
    expect(running.outputs.out).toBe(103);
    expect(calls.get('middle')).toBe(1);
  });
});
