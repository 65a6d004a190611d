import { beforeEach, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../../../engine/graph-document';
import { useGraphStore } from './graph-store';

const doc: GraphDocument = {
  format: 'pixelwire.graph',
  version: 1,
  nodes: [
    { id: 'load', type: 'image.load', params: {}, position: { x: 0, y: 0 } },
    { id: 'blur', type: 'image.blur', params: { sigma: 2 }, position: { x: 300, y: 0 } },
    { id: 'invert', type: 'image.invert', params: {}, position: { x: 300, y: 200 } },
  ],
  edges: [{ from: { node: 'load', port: 'image' }, to: { node: 'blur', port: 'image' } }],
  inputs: [],
  outputs: [],
  ui: { viewport: { x: 0, y: 0, zoom: 1 }, frames: [{ id: 'frame-1', title: 'Prep', position: { x: -20, y: -40 }, width: 500, height: 300 }] },
};

const store = () => useGraphStore.getState();

describe('useGraphStore', () => {
  beforeEach(() => store().load(doc, 3));

  it('loads the document, its frames and version, and writes them back', () => {
    expect(store().baseVersion).toBe(3);
    expect(store().frames.map((f) => f.data.title)).toEqual(['Prep']);
    expect(store().toDocument()).toEqual(doc);
    expect(store().dirty).toBe(false);
  });

  it('undoes and redoes param edits, coalescing quick edits of one param', () => {
    store().setParam('blur', 'sigma', 3);
    store().setParam('blur', 'sigma', 4);
    expect(store().dirty).toBe(true);
    store().undo();
    expect(store().nodes.find((n) => n.id === 'blur')?.data.params).toEqual({ sigma: 2 });
    store().redo();
    expect(store().nodes.find((n) => n.id === 'blur')?.data.params).toEqual({ sigma: 4 });
    store().setParam('blur', 'sigma', undefined);
    expect(store().nodes.find((n) => n.id === 'blur')?.data.params).toEqual({});
  });

  it('replaces the edge into an occupied input', () => {
    store().connect({ source: 'invert', sourceHandle: 'image', target: 'blur', targetHandle: 'image' });
    expect(store().edges.map((e) => e.id)).toEqual(['invert.image->blur.image']);
    store().undo();
    expect(store().edges.map((e) => e.id)).toEqual(['load.image->blur.image']);
  });

  it('copies the selection with its inner edges and pastes it under fresh ids', () => {
    store().onNodesChange([
      { type: 'select', id: 'load', selected: true },
      { type: 'select', id: 'blur', selected: true },
    ]);
    expect(store().past).toHaveLength(0);
    const fragment = store().copySelection();
    expect(fragment?.nodes.map((n) => n.id)).toEqual(['load', 'blur']);
    store().paste(fragment!);
    const ids = store().nodes.map((n) => n.id);
    expect(ids.slice(0, 3)).toEqual(['load', 'blur', 'invert']);
    const [load2, blur2] = ids.slice(3);
    expect(load2).toMatch(/^load-[a-z0-9]{8}$/);
    expect(blur2).toMatch(/^blur-[a-z0-9]{8}$/);
    expect(store().edges.map((e) => e.id)).toContain(`${load2}.image->${blur2}.image`);
    expect(store().nodes.filter((n) => n.selected).map((n) => n.id)).toEqual([load2, blur2]);
  });

  it('adds nodes with random ids that cannot collide, and one undo step per drag', () => {
    const a = store().addNode('image.blur', { x: 1, y: 2 });
    const b = store().addNode('image.blur', { x: 1, y: 2 });
    expect(a).toMatch(/^blur-[a-z0-9]{8}$/);
    expect(b).not.toBe(a);
    const steps = store().past.length;
    store().onNodesChange([{ type: 'position', id: 'invert', position: { x: 310, y: 200 }, dragging: true }]);
    store().onNodesChange([{ type: 'position', id: 'invert', position: { x: 320, y: 200 }, dragging: true }]);
    store().onNodesChange([{ type: 'position', id: 'invert', position: { x: 330, y: 200 }, dragging: false }]);
    expect(store().past.length).toBe(steps + 1);
    store().undo();
    expect(store().nodes.find((n) => n.id === 'invert')?.position).toEqual({ x: 300, y: 200 });
  });

  it('lays nodes out left to right', () => {
    store().autoLayout();
    const x = (id: string) => store().nodes.find((n) => n.id === id)!.position.x;
    expect(x('blur')).toBeGreaterThan(x('load'));
  });
});

/** A graph with a graph input feeding a port, one setting a param, and an output: what the CLI or the API could send. */
const withIo: GraphDocument = {
  format: 'pixelwire.graph',
  version: 1,
  metadata: { name: 'Blur pipeline' },
  nodes: [
    { id: 'blur', type: 'image.blur', params: { sigma: 2 }, position: { x: 300, y: 0 } },
    { id: 'invert', type: 'image.invert', params: {}, position: { x: 600, y: 0 } },
  ],
  edges: [{ from: { node: 'blur', port: 'image' }, to: { node: 'invert', port: 'image' } }],
  inputs: [
    { name: 'photo', kind: 'image', required: true, description: 'The picture', targets: [{ node: 'blur', port: 'image' }] },
    { name: 'amount', kind: 'number', required: false, default: 3, targets: [{ node: 'blur', param: 'sigma' }] },
    { name: 'unused', kind: 'text', required: true, targets: [] },
  ],
  outputs: [
    { name: 'result', kind: 'image', source: { node: 'invert', port: 'image' } },
    { name: 'soft', kind: 'image', description: 'before inverting', source: { node: 'blur', port: 'image' } },
  ],
  ui: { viewport: { x: 0, y: 0, zoom: 1 } },
};

describe('graph inputs and outputs on the canvas', () => {
  beforeEach(() => store().load(withIo, 1));
  const io = (name: string) => store().ioNodes.find((n) => n.data.name === name)!;

  it('shows each as an Input or Output node wired to its targets or source', () => {
    expect(store().ioNodes.map((n) => [n.type, n.data.name])).toEqual([
      ['graphInput', 'photo'],
      ['graphInput', 'amount'],
      ['graphInput', 'unused'],
      ['graphOutput', 'result'],
      ['graphOutput', 'soft'],
    ]);
    expect(store().ioEdges.map((e) => [e.source, e.target, e.targetHandle, e.data?.param])).toEqual([
      ['input:photo', 'blur', 'image', undefined],
      ['input:amount', 'blur', 'param:sigma', 'sigma'],
      ['invert', 'output:result', 'value', undefined],
      ['blur', 'output:soft', 'value', undefined],
    ]);
    // Inputs sit left of what they feed, outputs right of what they read.
    expect(io('photo').position.x).toBeLessThan(300);
    expect(io('result').position.x).toBeGreaterThan(600);
  });

  it('survives load → toDocument unchanged (computed positions are not written back)', () => {
    expect(store().toDocument()).toEqual(withIo);
    expect(store().dirty).toBe(false);
  });

  it('keeps moved positions in ui.graphIo and reads them back', () => {
    store().onNodesChange([{ type: 'position', id: io('photo').id, position: { x: -50, y: 80 }, dragging: false }]);
    const saved = store().toDocument();
    expect(saved.ui).toEqual({ viewport: { x: 0, y: 0, zoom: 1 }, graphIo: { inputs: { photo: { x: -50, y: 80 } } } });
    expect(saved.inputs).toEqual(withIo.inputs);
    store().load(saved, 2);
    expect(io('photo').position).toEqual({ x: -50, y: 80 });
    expect(store().toDocument()).toEqual(saved);
  });

  it('exposes a port and a param as graph inputs and an output port as a graph output', () => {
    store().exposeInput('invert', { port: 'image', kind: 'image', optional: false });
    store().exposeInput('blur', { param: 'sigma', kind: 'number', value: 2 });
    store().exposeOutput('blur', 'image', 'image');
    const doc = store().toDocument();
    // The exposed port's edge from blur is replaced by the graph input; the param input already there is replaced too.
    expect(doc.edges).toEqual([]);
    expect(doc.inputs.map((i) => [i.name, i.kind, i.required, i.default, i.targets])).toEqual([
      ['photo', 'image', true, undefined, [{ node: 'blur', port: 'image' }]],
      ['amount', 'number', false, 3, []],
      ['unused', 'text', true, undefined, []],
      ['image', 'image', true, undefined, [{ node: 'invert', port: 'image' }]],
      ['sigma', 'number', false, 2, [{ node: 'blur', param: 'sigma' }]],
    ]);
    expect(doc.outputs.map((o) => [o.name, o.source])).toEqual([
      ['result', { node: 'invert', port: 'image' }],
      ['soft', { node: 'blur', port: 'image' }],
      ['image', { node: 'blur', port: 'image' }],
    ]);
    store().undo();
    store().undo();
    store().undo();
    expect(store().toDocument()).toEqual(withIo);
  });

  it('adds graph ports from the palette: an unwired input takes the kind it is wired to, an output waits in ui until wired', () => {
    // Free spots (new nodes never land on top of others, see layout.test.ts).
    const input = store().addGraphPort('input', { x: 0, y: 900 });
    const output = store().addGraphPort('output', { x: 1200, y: 900 });
    expect(store().toDocument().ui?.graphIo).toEqual({
      inputs: { input: { x: 0, y: 900 } },
      pendingOutputs: [{ name: 'output', kind: 'image', position: { x: 1200, y: 900 } }],
    });
    store().connect({ source: input, sourceHandle: 'value', target: 'invert', targetHandle: 'image' }, { adopt: { nodeId: input, kind: 'image' } });
    store().connect({ source: 'blur', sourceHandle: 'image', target: output, targetHandle: 'value' }, { adopt: { nodeId: output, kind: 'image' } });
    const doc = store().toDocument();
    expect(doc.edges).toEqual([]);
    expect(doc.inputs.at(-1)).toEqual({ name: 'input', kind: 'image', required: true, targets: [{ node: 'invert', port: 'image' }] });
    expect(doc.outputs.at(-1)).toEqual({ name: 'output', kind: 'image', source: { node: 'blur', port: 'image' } });
    // Reloaded, the pending output is gone from ui: it is a real output now.
    expect(doc.ui?.graphIo).toEqual({ inputs: { input: { x: 0, y: 900 } }, outputs: { output: { x: 1200, y: 900 } } });
  });

  it('renames, retypes and edits graph inputs; deleting a node drops the wires to it', () => {
    store().updateGraphPort(io('amount').id, { name: 'strength', default: 5, description: 'how soft' });
    store().updateGraphPort(io('unused').id, { kind: 'number', default: 1 });
    store().updateGraphPort(io('unused').id, { kind: 'image' });
    const doc = store().toDocument();
    expect(doc.inputs[1]).toEqual({ name: 'strength', kind: 'number', required: false, default: 5, description: 'how soft', targets: [{ node: 'blur', param: 'sigma' }] });
    expect(doc.inputs[2]).toEqual({ name: 'unused', kind: 'image', required: true, targets: [] });
    store().onNodesChange([{ type: 'remove', id: 'blur' }]);
    expect(store().toDocument().inputs[0]?.targets).toEqual([]);
  });
});

describe('edit modes', () => {
  beforeEach(() => {
    store().setEditMode('all');
    store().load(doc, 3);
  });

  it('lets runners change params only, and viewers nothing', () => {
    store().setEditMode('params');
    store().setParam('blur', 'sigma', 5);
    expect(store().addNode('image.blur', { x: 0, y: 0 })).toBe('');
    store().onNodesChange([{ type: 'position', id: 'blur', position: { x: 9, y: 9 }, dragging: false }]);
    store().onNodesChange([{ type: 'select', id: 'blur', selected: true }]);
    store().connect({ source: 'invert', sourceHandle: 'image', target: 'blur', targetHandle: 'image' });
    expect(store().nodes.find((n) => n.id === 'blur')).toMatchObject({ position: { x: 300, y: 0 }, selected: true, data: { params: { sigma: 5 } } });
    expect(store().edges).toHaveLength(1);
    store().setEditMode('none');
    store().setParam('blur', 'sigma', 6);
    store().undo();
    expect(store().nodes.find((n) => n.id === 'blur')?.data.params).toEqual({ sigma: 5 });
    store().setEditMode('all');
  });
});

describe('pipeline nodes', () => {
  beforeEach(() => {
    store().setEditMode('all');
    store().load(doc, 3);
  });

  it('are pinned to a version, take values for param inputs, and drop what a new version no longer has', () => {
    const id = store().addPipeline('g1', 2, { x: 600, y: 0 });
    expect(id).toMatch(/^pipe-[a-z0-9]{8}$/);
    store().connect({ source: 'load', sourceHandle: 'image', target: id, targetHandle: 'photo' });
    store().connect({ source: id, sourceHandle: 'old', target: 'invert', targetHandle: 'image' });
    store().setPipelineInput(id, 'amount', 4);
    store().setPipelineInput(id, 'gone', 'x');
    expect(store().toDocument().nodes.at(-1)).toMatchObject({ id, type: 'pipeline.call', params: { graphId: 'g1', version: 2, inputs: { amount: 4, gone: 'x' } } });
    store().repinPipeline(id, 3, {
      inputs: [
        { name: 'photo', kind: 'image', required: true, feedsPort: true, setsParams: false },
        { name: 'amount', kind: 'number', required: false, feedsPort: false, setsParams: true },
      ],
      outputs: [{ name: 'result', kind: 'image' }],
    });
    const after = store().toDocument();
    expect(after.nodes.at(-1)?.params).toEqual({ graphId: 'g1', version: 3, inputs: { amount: 4 } });
    expect(after.edges.map((e) => `${e.from.node}.${e.from.port}->${e.to.node}.${e.to.port}`)).toEqual(['load.image->blur.image', `load.image->${id}.photo`]);
  });
});
