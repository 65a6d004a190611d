import { beforeEach, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../../../engine/graph-document';
import { validateDocument } from '../../../../engine/validate';
import { catalogueEntry } from '../../../../nodes/catalogue';
import { builtinRegistry } from '../../../../nodes/registry';
import { bypassBlocker, bypassGapMessage } from './bypass-rules';
import { catalogueItem, useCatalogueStore } from './catalogue-store';
import { checkConnection, connectionProblem } from './connection-check';
import type { PixelEdge, PixelNode } from './document-flow';
import { inputEdge, type IoEdge, type IoNode } from './graph-io';
import { useGraphStore } from './graph-store';
import { makePortLookup } from './node-ports';
import { REROUTE_TYPE } from './reroute-edit';

// The real catalogue, as the server sends it.
const items = builtinRegistry.list().map((def) => catalogueItem(catalogueEntry(def)));
const byType = new Map(items.map((i) => [i.entry.type, i]));
const entryOf = (type: string) => byType.get(type)!.entry;

describe('bypass rules in the editor (the engine’s, engine/bypass.ts)', () => {
  it('says which node types can never be bypassed, and why', () => {
    expect(bypassBlocker(entryOf('image.blur'))).toBeUndefined();
    expect(bypassBlocker(entryOf('image.load'))).toMatch(/cannot be bypassed: it has no input to pass on/);
    // Threshold makes a mask and a number out of an image: no input can stand in for them.
    expect(bypassBlocker(entryOf('image.threshold'))).toMatch(/no input can stand in for output mask \(mask\)/);
    expect(bypassBlocker(entryOf('util.show'))).toBeUndefined();
  });

  it('says what a bypassed node lacks with its inputs as connected', () => {
    expect(bypassGapMessage(entryOf('image.blur'), new Set(['image']))).toBeUndefined();
    expect(bypassGapMessage(entryOf('image.blur'), new Set())).toBe('bypassed, but nothing connected can pass on as image (image)');
  });
});

describe('typed connections through reroutes and Show value', () => {
  const node = (id: string, type: string): PixelNode => ({ id, type: 'pixel', position: { x: 0, y: 0 }, data: { type, params: {} } });
  const edge = (source: string, sourceHandle: string, target: string, targetHandle: string): PixelEdge => ({ id: `${source}.${sourceHandle}->${target}.${targetHandle}`, source, sourceHandle, target, targetHandle });
  const nodes = [node('load', 'image.load'), node('blur', 'image.blur'), node('draw', 'image.draw-text'), node('r1', REROUTE_TYPE), node('r2', REROUTE_TYPE), node('free', REROUTE_TYPE), node('show', 'util.show'), node('fed', REROUTE_TYPE)];
  const io: IoNode[] = [
    { id: 'input:caption', type: 'graphInput', position: { x: 0, y: 0 }, data: { name: 'caption', kind: 'text', required: true } },
    { id: 'input:fresh', type: 'graphInput', position: { x: 0, y: 0 }, data: { name: 'fresh', kind: 'image', required: true } },
    { id: 'output:out', type: 'graphOutput', position: { x: 0, y: 0 }, data: { name: 'out', kind: 'image' } },
  ];
  // load → r1 → r2 → blur; free (unfed) → draw.image; caption → fed
  const edges = [edge('load', 'image', 'r1', 'value'), edge('r1', 'value', 'r2', 'value'), edge('r2', 'value', 'blur', 'image'), edge('free', 'value', 'draw', 'image')];
  const ioEdges: IoEdge[] = [inputEdge('input:caption', { node: 'fed', port: 'value' })];
  const lookup = makePortLookup({ nodes, edges, ioNodes: io, ioEdges, byType, pipelinePorts: () => undefined });

  it('a reroute carries the kind of what feeds it, through chains; an unfed one carries nothing yet', () => {
    expect(lookup('r2')?.outputs.get('value')).toBe('image');
    expect(lookup('fed')?.outputs.get('value')).toBe('text');
    expect(lookup('free')?.outputs.get('value')).toBe('any');
  });

  it('checks a wire out of a reroute by the kind it carries', () => {
    expect(connectionProblem({ source: 'r2', sourceHandle: 'value', target: 'draw', targetHandle: 'image' }, lookup, edges)).toBeNull();
    expect(connectionProblem({ source: 'r2', sourceHandle: 'value', target: 'draw', targetHandle: 'text' }, lookup, edges)).toBe('cannot connect image to text');
    expect(connectionProblem({ source: 'fed', sourceHandle: 'value', target: 'draw', targetHandle: 'text' }, lookup, edges)).toBeNull();
  });

  it('checks a new source of a reroute against what the reroute already feeds downstream', () => {
    // r1 feeds r2, which feeds blur's image: text may not go in, an image may.
    expect(connectionProblem({ source: 'fed', sourceHandle: 'value', target: 'r1', targetHandle: 'value' }, lookup, edges)).toBe('cannot connect text to r1: it passes its value on to image');
    expect(connectionProblem({ source: 'draw', sourceHandle: 'image', target: 'r1', targetHandle: 'value' }, lookup, edges)).toBeNull();
    // Nothing feeds `free` yet, but it feeds an image input: no kind could go to that and to a text input.
    expect(connectionProblem({ source: 'free', sourceHandle: 'value', target: 'draw', targetHandle: 'text' }, lookup, edges)).toMatch(/free already passes its value to image: it cannot also feed text/);
    expect(connectionProblem({ source: 'free', sourceHandle: 'value', target: 'show', targetHandle: 'value' }, lookup, edges)).toBeNull();
  });

  it('Show value takes every kind; a graph output wired from an unfed reroute is refused', () => {
    expect(connectionProblem({ source: 'load', sourceHandle: 'image', target: 'show', targetHandle: 'value' }, lookup, edges)).toBeNull();
    expect(connectionProblem({ source: 'fed', sourceHandle: 'value', target: 'show', targetHandle: 'value' }, lookup, edges)).toBeNull();
    expect(connectionProblem({ source: 'free', sourceHandle: 'value', target: 'output:out', targetHandle: 'value' }, lookup, edges)).toBe('free carries nothing yet: connect its input first');
    expect(checkConnection({ source: 'r2', sourceHandle: 'value', target: 'output:out', targetHandle: 'value' }, lookup, edges)).toEqual({ ok: true, adopt: { nodeId: 'output:out', kind: 'image' } });
  });

  it('a fresh graph input wired into a reroute takes the kind the reroute passes on', () => {
    expect(checkConnection({ source: 'input:fresh', sourceHandle: 'value', target: 'r1', targetHandle: 'value' }, lookup, edges)).toEqual({ ok: true, adopt: { nodeId: 'input:fresh', kind: 'image' } });
  });
});

describe('graph store: bypass and reroute edits', () => {
  const doc: GraphDocument = {
    format: 'pixelwire.graph',
    version: 1,
    nodes: [
      { id: 'blur', type: 'image.blur', params: {}, position: { x: 0, y: 0 } },
      { id: 'invert', type: 'image.invert', params: {}, position: { x: 400, y: 0 }, bypass: true },
    ],
    edges: [{ from: { node: 'blur', port: 'image' }, to: { node: 'invert', port: 'image' } }],
    inputs: [{ name: 'photo', kind: 'image', required: true, targets: [{ node: 'blur', port: 'image' }] }],
    outputs: [{ name: 'result', kind: 'image', source: { node: 'invert', port: 'image' } }],
  };
  const store = () => useGraphStore.getState();
  beforeEach(() => {
    useCatalogueStore.setState({ items, byType });
    store().load(doc, 1);
  });

  it('keeps bypass in the document, toggles it as one undoable edit', () => {
    expect(store().toDocument().nodes.map((n) => [n.id, n.bypass])).toEqual([
      ['blur', undefined],
      ['invert', true],
    ]);
    store().setBypass(['blur', 'invert'], true);
    expect(store().nodes.map((n) => n.data.bypass)).toEqual([true, true]);
    expect(store().dirty).toBe(true);
    store().undo();
    expect(store().nodes.map((n) => n.data.bypass)).toEqual([undefined, true]);
    store().setBypass(['invert'], false);
    expect(store().toDocument().nodes.find((n) => n.id === 'invert')).not.toHaveProperty('bypass');
  });

  it('puts a reroute on a node edge, on a graph input wire and on a graph output wire; the document still validates and means the same', () => {
    const nodeEdge = store().edges[0]!.id;
    const first = store().insertReroute(nodeEdge, { x: 200, y: 50 });
    if (!('id' in first)) throw new Error(first.problem);
    expect(store().nodes.find((n) => n.id === first.id)).toMatchObject({ position: { x: 192, y: 42 }, data: { type: REROUTE_TYPE }, selected: true });
    expect(store().edges.map((e) => e.id).sort()).toEqual([`${first.id}.value->invert.image`, `blur.image->${first.id}.value`].sort());

    const inputWire = store().ioEdges.find((e) => e.target === 'blur')!.id;
    const second = store().insertReroute(inputWire, { x: -100, y: 0 });
    const outputWire = store().ioEdges.find((e) => e.source === 'invert')!.id;
    const third = store().insertReroute(outputWire, { x: 600, y: 0 });
    if (!('id' in second) || !('id' in third)) throw new Error('not inserted');
    const written = store().toDocument();
    expect(written.inputs[0]?.targets).toEqual([{ node: second.id, port: 'value' }]);
    expect(written.outputs[0]?.source).toEqual({ node: third.id, port: 'value' });
    const checked = validateDocument(written, builtinRegistry);
    expect(checked.ok).toBe(true);
    // One undo step each.
    store().undo();
    store().undo();
    store().undo();
    expect(store().toDocument()).toEqual(doc);
  });

  it('refuses a reroute on a wire that sets a param', () => {
    store().load({ ...doc, inputs: [{ name: 'sigma', kind: 'number', required: true, targets: [{ node: 'blur', param: 'sigma' }] }] }, 1);
    const wire = store().ioEdges.find((e) => e.data?.param === 'sigma')!.id;
    expect(store().insertReroute(wire, { x: 0, y: 0 })).toEqual({ problem: 'a graph input sets this param directly: its wire cannot pass through a reroute' });
  });
});
