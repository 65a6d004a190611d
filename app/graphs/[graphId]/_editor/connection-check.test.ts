import { describe, expect, it } from 'vitest';
import { catalogueItem } from './catalogue-store';
import { checkConnection, connectionProblem } from './connection-check';
import type { PixelEdge, PixelNode } from './document-flow';
import { inputEdge, paramHandleId, type IoEdge, type IoNode } from './graph-io';
import { makePortLookup } from './node-ports';
import { portsOfSummary, type PipelinePorts } from './pipeline-ports';

const port = (name: string, kind: 'image' | 'mask' | 'text' | 'number') => ({ name, kind, optional: false });
const entry = (type: string, inputs: ReturnType<typeof port>[], outputs: ReturnType<typeof port>[], params: Record<string, unknown> = {}) =>
  catalogueItem({ type, version: 1, title: type, category: 'test', inputs, outputs, params: { type: 'object', properties: params } });
const byType = new Map(
  [
    entry('t.threshold', [port('image', 'image')], [port('mask', 'mask'), port('level', 'number')], { level: { type: 'number' }, mode: { type: 'string', enum: ['a', 'b'] } }),
    entry('t.text', [port('image', 'image'), port('text', 'text')], [port('image', 'image')]),
  ].map((i) => [i.entry.type, i]),
);
const node = (id: string, type: string, params: Record<string, unknown> = {}): PixelNode => ({ id, type: 'pixel', position: { x: 0, y: 0 }, data: { type, params } });
const nodes = [node('th', 't.threshold'), node('tx', 't.text'), node('tx2', 't.text'), node('pipe', 'pipeline.call', { graphId: 'g1', version: 2, inputs: {} })];
const pipelinePorts: PipelinePorts = portsOfSummary({
  graphId: 'g1',
  name: 'Blur pipeline',
  team: null,
  headVersion: 2,
  inputs: [
    { name: 'photo', kind: 'image', required: true, setsParams: false },
    { name: 'amount', kind: 'number', required: true, setsParams: true },
  ],
  outputs: [{ name: 'result', kind: 'image' }],
});
const io: IoNode[] = [
  { id: 'input:photo', type: 'graphInput', position: { x: 0, y: 0 }, data: { name: 'photo', kind: 'image', required: true } },
  { id: 'input:fresh', type: 'graphInput', position: { x: 0, y: 0 }, data: { name: 'fresh', kind: 'image', required: true } },
  { id: 'input:level', type: 'graphInput', position: { x: 0, y: 0 }, data: { name: 'level', kind: 'number', required: true } },
  { id: 'output:result', type: 'graphOutput', position: { x: 0, y: 0 }, data: { name: 'result', kind: 'image' } },
];
const ioEdges: IoEdge[] = [inputEdge('input:photo', { node: 'tx2', port: 'image' }), inputEdge('input:level', { node: 'th', param: 'level' })];
const lookup = makePortLookup({ nodes, ioNodes: io, ioEdges, byType, pipelinePorts: (g, v) => (g === 'g1' && v === 2 ? pipelinePorts : undefined) });

describe('connectionProblem', () => {
  it('accepts compatible kinds (mask widens to image)', () => {
    expect(connectionProblem({ source: 'th', sourceHandle: 'mask', target: 'tx', targetHandle: 'image' }, lookup, [])).toBeNull();
  });
  it('says why incompatible kinds are refused', () => {
    expect(connectionProblem({ source: 'th', sourceHandle: 'level', target: 'tx', targetHandle: 'image' }, lookup, [])).toBe('cannot connect number to image');
  });
  it('refuses self-loops and cycles', () => {
    expect(connectionProblem({ source: 'tx', sourceHandle: 'image', target: 'tx', targetHandle: 'image' }, lookup, [])).toMatch(/itself/);
    const edges: PixelEdge[] = [{ id: 'e', source: 'tx', sourceHandle: 'image', target: 'tx2', targetHandle: 'image' }];
    expect(connectionProblem({ source: 'tx2', sourceHandle: 'image', target: 'tx', targetHandle: 'image' }, lookup, edges)).toMatch(/cycle/);
  });
  it('types a pipeline node by its pinned version: its port inputs and outputs, not its param inputs', () => {
    expect(connectionProblem({ source: 'tx', sourceHandle: 'image', target: 'pipe', targetHandle: 'photo' }, lookup, [])).toBeNull();
    expect(connectionProblem({ source: 'pipe', sourceHandle: 'result', target: 'tx', targetHandle: 'image' }, lookup, [])).toBeNull();
    expect(connectionProblem({ source: 'pipe', sourceHandle: 'result', target: 'tx', targetHandle: 'text' }, lookup, [])).toBe('cannot connect image to text');
    expect(connectionProblem({ source: 'tx', sourceHandle: 'image', target: 'pipe', targetHandle: 'amount' }, lookup, [])).toBe('pipe has no input "amount"');
  });
  it('wires graph inputs to ports and params, and outputs from ports, taking kinds where they are free', () => {
    expect(checkConnection({ source: 'input:photo', sourceHandle: 'value', target: 'tx', targetHandle: 'image' }, lookup, [])).toEqual({ ok: true });
    expect(connectionProblem({ source: 'input:photo', sourceHandle: 'value', target: 'tx', targetHandle: 'text' }, lookup, [])).toBe('cannot connect image to text');
    // An input with no wires yet takes the kind of what it is wired to.
    expect(checkConnection({ source: 'input:fresh', sourceHandle: 'value', target: 'tx', targetHandle: 'text' }, lookup, [])).toEqual({ ok: true, adopt: { nodeId: 'input:fresh', kind: 'text' } });
    expect(checkConnection({ source: 'input:fresh', sourceHandle: 'value', target: 'th', targetHandle: paramHandleId('mode') }, lookup, [])).toEqual({
      ok: true,
      param: 'mode',
      adopt: { nodeId: 'input:fresh', kind: 'text' },
    });
    expect(checkConnection({ source: 'input:level', sourceHandle: 'value', target: 'th', targetHandle: paramHandleId('level') }, lookup, [])).toEqual({ ok: true, param: 'level' });
    expect(connectionProblem({ source: 'input:photo', sourceHandle: 'value', target: 'th', targetHandle: paramHandleId('level') }, lookup, [])).toBe('graph input is image but param "level" takes number');
    expect(connectionProblem({ source: 'tx', sourceHandle: 'image', target: 'th', targetHandle: paramHandleId('level') }, lookup, [])).toBe('param "level" can only be set by a graph input');
    expect(checkConnection({ source: 'th', sourceHandle: 'level', target: 'output:result', targetHandle: 'value' }, lookup, [])).toEqual({ ok: true, adopt: { nodeId: 'output:result', kind: 'number' } });
    expect(connectionProblem({ source: 'input:photo', sourceHandle: 'value', target: 'output:result', targetHandle: 'value' }, lookup, [])).toMatch(/not straight/);
  });
});
