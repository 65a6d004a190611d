import { describe, expect, it } from 'vitest';
import { catalogueItem } from './catalogue-store';
import { connectionProblem } from './connection-check';
import type { PixelEdge, PixelNode } from './document-flow';

const port = (name: string, kind: 'image' | 'mask' | 'text' | 'number') => ({ name, kind, optional: false });
const entry = (type: string, inputs: ReturnType<typeof port>[], outputs: ReturnType<typeof port>[]) =>
  catalogueItem({ type, version: 1, title: type, category: 'test', inputs, outputs, params: { type: 'object', properties: {} } });
const byType = new Map(
  [
    entry('t.threshold', [port('image', 'image')], [port('mask', 'mask'), port('level', 'number')]),
    entry('t.text', [port('image', 'image'), port('text', 'text')], [port('image', 'image')]),
  ].map((i) => [i.entry.type, i]),
);
const node = (id: string, type: string): PixelNode => ({ id, type: 'pixel', position: { x: 0, y: 0 }, data: { type, params: {} } });
const nodes = [node('th', 't.threshold'), node('tx', 't.text'), node('tx2', 't.text')];

describe('connectionProblem', () => {
  it('accepts compatible kinds (mask widens to image)', () => {
    expect(connectionProblem({ source: 'th', sourceHandle: 'mask', target: 'tx', targetHandle: 'image' }, nodes, [], byType)).toBeNull();
  });
  it('says why incompatible kinds are refused', () => {
    expect(connectionProblem({ source: 'th', sourceHandle: 'level', target: 'tx', targetHandle: 'image' }, nodes, [], byType)).toBe('cannot connect number to image');
  });
  it('refuses self-loops and cycles', () => {
    expect(connectionProblem({ source: 'tx', sourceHandle: 'image', target: 'tx', targetHandle: 'image' }, nodes, [], byType)).toMatch(/itself/);
    const edges: PixelEdge[] = [{ id: 'e', source: 'tx', sourceHandle: 'image', target: 'tx2', targetHandle: 'image' }];
    expect(connectionProblem({ source: 'tx2', sourceHandle: 'image', target: 'tx', targetHandle: 'image' }, nodes, edges, byType)).toMatch(/cycle/);
  });
});
