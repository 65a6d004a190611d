import { describe, expect, it } from 'vitest';
import type { PixelEdge, PixelNode } from './document-flow';
import { ownSignatures, staleNodes } from './run-basis-signatures';

const n = (id: string, params: Record<string, unknown> = {}): PixelNode => ({ id, type: 'pixel', position: { x: 0, y: 0 }, data: { type: 't', params } });
const e = (source: string, target: string): PixelEdge => ({ id: `${source}-${target}`, source, target, sourceHandle: 'image', targetHandle: 'image' });

describe('staleNodes', () => {
  const ran = { nodes: [n('load'), n('blur', { sigma: 4, mode: 'a' }), n('save')], edges: [e('load', 'blur'), e('blur', 'save')], ioEdges: [] };
  const basis = ownSignatures(ran);

  it('is empty for the canvas that ran, whatever the order params were set in', () => {
    expect(staleNodes(basis, { ...ran, nodes: [n('load'), n('blur', { mode: 'a', sigma: 4 }), n('save')] }).size).toBe(0);
  });

  it('marks a node whose params changed and everything downstream of it', () => {
    const now = { ...ran, nodes: [n('load'), n('blur', { sigma: 2, mode: 'a' }), n('save')] };
    expect([...staleNodes(basis, now)].sort()).toEqual(['blur', 'save']);
  });

  it('marks a node whose inputs were rewired, and new nodes', () => {
    const now = { nodes: [...ran.nodes, n('other')], edges: [e('load', 'blur'), e('load', 'save')], ioEdges: [] };
    expect([...staleNodes(basis, now)].sort()).toEqual(['other', 'save']);
  });
});
