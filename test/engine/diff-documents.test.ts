import { describe, expect, it } from 'vitest';
import { diffDocuments } from '../../engine/diff-documents';

const base = {
  format: 'pixelwire.graph',
  version: 1,
  nodes: [
    { id: 'load', type: 'image.load', params: { artifact: 'a'.repeat(64) }, position: { x: 0, y: 0 } },
    { id: 'blur', type: 'image.blur', params: { sigma: 2 }, position: { x: 200, y: 0 } },
    { id: 'save', type: 'image.save', params: {}, position: { x: 400, y: 0 } },
  ],
  edges: [
    { from: { node: 'load', port: 'image' }, to: { node: 'blur', port: 'image' } },
    { from: { node: 'blur', port: 'image' }, to: { node: 'save', port: 'image' } },
  ],
  inputs: [{ name: 'strength', kind: 'number', required: false, default: 2, targets: [{ node: 'blur', param: 'sigma' }] }],
  outputs: [{ name: 'result', kind: 'image', source: { node: 'blur', port: 'image' } }],
};

describe('diffDocuments', () => {
  it('reports nodes added, removed and changed (params, moves), edges, inputs and outputs, with a summary', () => {
    const next = structuredClone(base) as typeof base;
    next.nodes[1]!.params = { sigma: 5 };
    next.nodes[0]!.position = { x: 10, y: 10 };
    next.nodes = next.nodes.filter((n) => n.id !== 'save');
    next.nodes.push({ id: 'sharp', type: 'image.sharpen', params: {}, position: { x: 400, y: 0 } });
    next.edges = [next.edges[0]!, { from: { node: 'blur', port: 'image' }, to: { node: 'sharp', port: 'image' } }];
    next.inputs[0]!.default = 3;
    next.outputs.push({ name: 'sharpened', kind: 'image', source: { node: 'sharp', port: 'image' } });

    const diff = diffDocuments(base, next);
    expect(diff.nodes.added).toEqual([{ id: 'sharp', type: 'image.sharpen' }]);
    expect(diff.nodes.removed).toEqual([{ id: 'save', type: 'image.save' }]);
    expect(diff.nodes.changed).toEqual([
      { id: 'load', type: 'image.load', params: [], movedOnly: true },
      { id: 'blur', type: 'image.blur', params: [{ param: 'sigma', from: 2, to: 5 }] },
    ]);
    expect(diff.edges.added).toHaveLength(1);
    expect(diff.edges.removed).toEqual([{ from: { node: 'blur', port: 'image' }, to: { node: 'save', port: 'image' } }]);
    expect(diff.inputs.changed).toEqual([{ name: 'strength', changes: ['default 2 → 3'] }]);
    expect(diff.outputs.added).toEqual(['sharpened']);
    expect(diff.summary).toEqual([
      '+ node sharp (image.sharpen)',
      '- node save (image.save)',
      '~ node load moved',
      '~ blur.sigma: 2 → 5',
      '+ edge blur.image→sharp.image',
      '- edge blur.image→save.image',
      '~ graph input strength: default 2 → 3',
      '+ graph output sharpened',
    ]);
  });

  it('finds nothing between equal documents, whatever their key order, and treats a malformed one as empty', () => {
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reverseKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)])) : v;
    const reordered = reverseKeys(base);
    expect(diffDocuments(base, reordered).summary).toEqual([]);
    expect(diffDocuments({ garbage: true }, base).nodes.added.map((n) => n.id)).toEqual(['load', 'blur', 'save']);
  });
});
