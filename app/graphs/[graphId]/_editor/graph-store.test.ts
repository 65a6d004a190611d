import { beforeEach, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../../../server/engine/graph-document';
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
    expect(store().nodes.map((n) => n.id)).toEqual(['load', 'blur', 'invert', 'load1', 'blur1']);
    expect(store().edges.map((e) => e.id)).toContain('load1.image->blur1.image');
    expect(store().nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(['load1', 'blur1']);
  });

  it('adds nodes with unique ids and one undo step per drag', () => {
    expect(store().addNode('image.blur', { x: 1, y: 2 })).toBe('blur1');
    expect(store().addNode('image.blur', { x: 1, y: 2 })).toBe('blur2');
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
