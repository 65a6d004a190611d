import { describe, expect, it } from 'vitest';
import { catalogueItem } from './catalogue-store';
import type { PixelEdge, PixelNode } from './document-flow';
import { liveErrors } from './live-errors';

const n = (id: string, type: string, params: Record<string, unknown> = {}): PixelNode => ({ id, type: 'pixel', position: { x: 0, y: 0 }, data: { type, params } });
const e = (source: string, target: string): PixelEdge => ({ id: `${source}-${target}`, source, target, sourceHandle: 'image', targetHandle: 'image' });
const byType = new Map(
  [
    { type: 'src', title: 'Src', category: 'x', version: 1, inputs: [], outputs: [{ name: 'image', kind: 'image' }], params: { type: 'object', properties: {} } },
    { type: 'blur', title: 'Blur', category: 'x', version: 1, inputs: [{ name: 'image', kind: 'image' }], outputs: [{ name: 'image', kind: 'image' }], params: { type: 'object', properties: { sigma: { type: 'number' } } } },
  ].map((entry) => [entry.type, catalogueItem(entry as never)]),
);

describe('liveErrors', () => {
  const checked = { nodes: [n('a', 'src'), n('b', 'blur', { sigma: -1 })], edges: [], ioEdges: [] };
  const server = [
    { nodeId: 'b', port: 'image', code: 'missing_input' as const, message: 'required input "image" is not connected' },
    { nodeId: 'b', param: 'sigma', code: 'invalid_param' as const, message: 'param "sigma": too small' },
  ];

  it('keeps what still holds', () => {
    expect(liveErrors(server, checked, checked, byType).b?.map((x) => x.code).sort()).toEqual(['invalid_param', 'missing_input']);
  });

  it('drops "required input not connected" once the edge is connected, and a param error once the param changed', () => {
    const now = { nodes: [n('a', 'src'), n('b', 'blur', { sigma: 2 })], edges: [e('a', 'b')], ioEdges: [] };
    expect(liveErrors(server, checked, now, byType).b).toBeUndefined();
  });

  it('reports a required input disconnected after the check', () => {
    const wired = { ...checked, edges: [e('a', 'b')] };
    expect(liveErrors([], wired, checked, byType).b?.[0]?.code).toBe('missing_input');
  });

  it('drops errors of removed nodes', () => {
    expect(liveErrors(server, checked, { nodes: [n('a', 'src')], edges: [], ioEdges: [] }, byType)).toEqual({});
  });
});
