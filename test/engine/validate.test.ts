import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../engine/validate';
import { topologicalOrder } from '../../engine/topological-order';
import { graph } from '../helpers/graph-builder';
import { stubRegistry } from '../helpers/stub-nodes';

function errorsOf(doc: unknown) {
  const result = validateDocument(doc, stubRegistry);
  if (result.ok) throw new Error('expected the document to be invalid');
  return result.errors;
}

describe('topological order', () => {
  it('puts every node after the nodes it reads, stable in input order', () => {
    const { order, cycles } = topologicalOrder([
      { id: 'c', dependants: [] },
      { id: 'a', dependants: ['b', 'c'] },
      { id: 'b', dependants: ['c'] },
      { id: 'd', dependants: [] },
    ]);
    expect(cycles).toEqual([]);
    expect(order).toEqual(['a', 'd', 'b', 'c']);
  });

  it('names the nodes of a cycle', () => {
    const { cycles } = topologicalOrder([
      { id: 'x', dependants: ['y'] },
      { id: 'y', dependants: ['z'] },
      { id: 'z', dependants: ['y'] },
    ]);
    expect(cycles).toEqual([['y', 'z']]);
  });
});

describe('validateDocument', () => {
  it('accepts a valid graph and orders it', () => {
    const result = validateDocument(
      graph([{ id: 'sum', type: 'test.add' }, { id: 'one', type: 'test.const', params: { value: 1 } }], ['one.value -> sum.a']),
      stubRegistry,
    );
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.plan.nodes.map((n) => n.id)).toEqual(['one', 'sum']);
  });

  it('reports a cycle on every node in it', () => {
    const errors = errorsOf(
      graph(
        [
          { id: 'a', type: 'test.add' },
          { id: 'b', type: 'test.add' },
        ],
        ['a.sum -> b.a', 'b.sum -> a.a'],
      ),
    );
    expect(errors.filter((e) => e.code === 'cycle').map((e) => e.nodeId).sort()).toEqual(['a', 'b']);
  });

  it('reports incompatible port kinds with node and port', () => {
    const errors = errorsOf(
      graph(
        [
          { id: 'n', type: 'test.const' },
          { id: 't', type: 'test.to-text' },
          { id: 's', type: 'test.add' },
        ],
        ['n.value -> t.value', 't.text -> s.a'],
      ),
    );
    expect(errors).toEqual([
      expect.objectContaining({ nodeId: 's', port: 'a', code: 'incompatible_ports' }),
      expect.objectContaining({ nodeId: 's', port: 'a', code: 'missing_input' }),
    ]);
    expect(errors[0]!.message).toContain('takes number');
  });

  it('reports unknown types, duplicate ids, bad and unknown params, missing inputs, dangling edges', () => {
    const errors = errorsOf(
      graph(
        [
          { id: 'a', type: 'test.nope' },
          { id: 'b', type: 'test.const', params: { value: 5000, colour: 'red' } },
          { id: 'b', type: 'test.const' },
          { id: 'c', type: 'test.add' },
        ],
        ['ghost.value -> c.b', 'b.nothing -> c.a'],
      ),
    );
    const codes = errors.map((e) => `${e.nodeId}:${e.code}${e.param ? `:${e.param}` : ''}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'a:unknown_node_type',
        'b:duplicate_node_id',
        'b:unknown_param:colour',
        'b:invalid_param:value',
        'c:dangling_edge',
        'b:unknown_port',
        'c:missing_input',
      ]),
    );
  });

  it('refuses two sources into one input', () => {
    const errors = errorsOf(
      graph(
        [
          { id: 'x', type: 'test.const' },
          { id: 'y', type: 'test.const' },
          { id: 's', type: 'test.add' },
        ],
        ['x.value -> s.a', 'y.value -> s.a'],
      ),
    );
    expect(errors).toEqual([expect.objectContaining({ nodeId: 's', port: 'a', code: 'duplicate_connection' })]);
  });

  it('never throws on garbage, naming the node when it can', () => {
    for (const junk of [null, 42, 'graph', [], { nodes: 'x' }, { format: 'pixelwire.graph', version: 1 }]) {
      expect(errorsOf(junk).length).toBeGreaterThan(0);
    }
    const errors = errorsOf({ format: 'pixelwire.graph', version: 1, nodes: [{ id: 'n1', type: 5 }], edges: [] });
    expect(errors[0]).toMatchObject({ nodeId: 'n1', code: 'invalid_document' });
    expect(errorsOf({ format: 'pixelwire.graph', version: 99, nodes: [] })[0]).toMatchObject({ code: 'unsupported_version' });
  });

  it('checks graph inputs and outputs against the ports they bind', () => {
    const errors = errorsOf(
      graph([{ id: 's', type: 'test.add' }], [], {
        inputs: [{ name: 'x', kind: 'text', targets: [{ node: 's', port: 'a' }] }],
        outputs: [
          { name: 'out', kind: 'text', source: { node: 's', port: 'sum' } },
          { name: 'out', kind: 'number', source: { node: 's', port: 'sum' } },
        ],
      }),
    );
    expect(errors.map((e) => e.code).sort()).toEqual(['duplicate_name', 'incompatible_ports', 'incompatible_ports', 'missing_input']);
  });

  it('upgrades a v0 prototype document by its migration', () => {
    const result = validateDocument(
      {
        nodes: [
          { id: 'one', type: 'test.const', params: { value: 1 }, x: 10, y: 20 },
          { id: 'sum', type: 'test.add' },
        ],
        links: [['one', 'value', 'sum', 'a']],
      },
      stubRegistry,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.upgradedFrom).toBe(0);
    expect(result.plan.document.nodes[0]!.position).toEqual({ x: 10, y: 20 });
    expect(result.plan.document.edges).toEqual([{ from: { node: 'one', port: 'value' }, to: { node: 'sum', port: 'a' } }]);
  });
});
