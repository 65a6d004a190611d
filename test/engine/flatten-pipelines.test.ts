import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../nodes/registry';
import { flattenPipelines, pipelineNodeType, type PipelineResolver } from '../../engine/flatten-pipelines';
import { validateDocument } from '../../engine/validate';

const doc = (nodes: unknown[], edges: unknown[] = [], extra: Record<string, unknown> = {}) => ({ format: 'pixelwire.graph', version: 1, nodes, edges, ...extra });
const edge = (from: string, to: string) => {
  const [fn, fp] = from.split('.');
  const [tn, tp] = to.split('.');
  return { from: { node: fn, port: fp }, to: { node: tn, port: tp } };
};
const pipe = (id: string, graphId: string, inputs: Record<string, unknown> = {}, version = 1) => ({ id, type: pipelineNodeType, params: { graphId, version, inputs } });

/** "resize" v1: image input photo → resize (width from the input "width", default 16) → output result. */
const resize = doc([{ id: 'resize', type: 'image.resize', params: {} }], [], {
  inputs: [
    { name: 'photo', kind: 'image', targets: [{ node: 'resize', port: 'image' }] },
    { name: 'width', kind: 'number', required: false, default: 16, targets: [{ node: 'resize', param: 'width' }] },
  ],
  outputs: [{ name: 'result', kind: 'image', source: { node: 'resize', port: 'image' } }],
});

function resolverOf(graphs: Record<string, unknown>): PipelineResolver {
  return async ({ graphId, version }) =>
    graphs[`${graphId}@${version}`] ? { ok: true, document: graphs[`${graphId}@${version}`] } : { ok: false, code: 'pipeline_not_found', message: `no ${graphId} v${version}` };
}

describe('flattenPipelines', () => {
  it('replaces a pipeline node by its version\'s nodes: ids prefixed, edges rewired, param inputs set', async () => {
    const outer = doc(
      [{ id: 'load', type: 'image.load', params: { artifact: 'a'.repeat(64) } }, pipe('small', 'resize', { width: 24 }), { id: 'blur', type: 'image.blur', params: {} }],
      [edge('load.image', 'small.photo'), edge('small.result', 'blur.image')],
      { outputs: [{ name: 'out', kind: 'image', source: { node: 'small', port: 'result' } }] },
    );
    const result = await flattenPipelines(outer, resolverOf({ 'resize@1': resize }));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const flat = result.document as ReturnType<typeof doc> & { outputs: { source: { node: string } }[] };
    expect((flat.nodes as { id: string }[]).map((n) => n.id)).toEqual(['load', 'small/resize', 'blur']);
    expect(flat.nodes[1]).toMatchObject({ type: 'image.resize', params: { width: 24 } });
    expect(flat.edges).toEqual([edge('load.image', 'small/resize.image'), edge('small/resize.image', 'blur.image')]);
    expect(flat.outputs[0]!.source).toEqual({ node: 'small/resize', port: 'image' });
    expect(result.pipelines).toEqual([{ nodeId: 'small', graphId: 'resize', version: 1 }]);
    expect(validateDocument(flat, builtinRegistry).ok).toBe(true);
  });

  it('uses an input\'s default when the node gives no value, and nests pipelines with paths', async () => {
    const twice = doc([pipe('a', 'resize'), pipe('b', 'resize', { width: 8 })], [edge('a.result', 'b.photo')], {
      inputs: [{ name: 'photo', kind: 'image', targets: [{ node: 'a', port: 'photo' }] }],
      outputs: [{ name: 'result', kind: 'image', source: { node: 'b', port: 'result' } }],
    });
    const outer = doc([{ id: 'load', type: 'image.load', params: {} }, pipe('t', 'twice')], [edge('load.image', 't.photo')]);
    const result = await flattenPipelines(outer, resolverOf({ 'resize@1': resize, 'twice@1': twice }));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const nodes = (result.document as { nodes: { id: string; params: Record<string, unknown> }[] }).nodes;
    expect(nodes.map((n) => [n.id, n.params.width])).toEqual([['load', undefined], ['t/a/resize', 16], ['t/b/resize', 8]]);
    const edges = (result.document as { edges: unknown[] }).edges;
    expect(edges).toHaveLength(2);
    expect(edges).toEqual(expect.arrayContaining([edge('load.image', 't/a/resize.image'), edge('t/a/resize.image', 't/b/resize.image')]));
  });

  it('refuses cycles across graphs, nesting past the limit, missing graphs and unknown ports, on the pipeline node', async () => {
    const a = doc([pipe('toB', 'b')]);
    const b = doc([pipe('toA', 'a')]);
    const cycle = await flattenPipelines(doc([pipe('start', 'a')]), resolverOf({ 'a@1': a, 'b@1': b }));
    expect(cycle).toMatchObject({ ok: false, errors: [{ nodeId: 'start', code: 'pipeline_cycle' }] });
    const self = await flattenPipelines(doc([pipe('me', 'a')]), resolverOf({ 'a@1': doc([]) }), { rootGraphId: 'a' });
    expect(self).toMatchObject({ ok: false, errors: [{ nodeId: 'me', code: 'pipeline_cycle' }] });

    const chain: Record<string, unknown> = { 'g0@1': resize };
    for (let i = 1; i <= 7; i++) chain[`g${i}@1`] = doc([pipe('inner', `g${i - 1}`)]);
    const deep = await flattenPipelines(doc([pipe('top', 'g7')]), resolverOf(chain), { maxDepth: 5 });
    expect(deep).toMatchObject({ ok: false, errors: [{ nodeId: 'top', code: 'pipeline_too_deep' }] });

    const missing = await flattenPipelines(doc([pipe('gone', 'nowhere')]), resolverOf({}));
    expect(missing).toMatchObject({ ok: false, errors: [{ nodeId: 'gone', code: 'pipeline_not_found' }] });

    const wrongPort = await flattenPipelines(
      doc([{ id: 'load', type: 'image.load', params: {} }, pipe('p', 'resize')], [edge('load.image', 'p.picture')]),
      resolverOf({ 'resize@1': resize }),
    );
    expect(wrongPort).toMatchObject({ ok: false, errors: [{ nodeId: 'p', port: 'picture', code: 'unknown_port' }] });
    const wrongInput = await flattenPipelines(doc([pipe('p', 'resize', { height: 3 })]), resolverOf({ 'resize@1': resize }));
    expect(wrongInput).toMatchObject({ ok: false, errors: [{ nodeId: 'p', code: 'unknown_param' }] });
  });

  it('leaves documents without pipeline nodes (or that do not parse) as they are', async () => {
    const plain = doc([{ id: 'blur', type: 'image.blur', params: {} }]);
    expect(await flattenPipelines(plain, resolverOf({}))).toEqual({ ok: true, document: plain, pipelines: [] });
    expect(await flattenPipelines({ nonsense: true }, resolverOf({}))).toEqual({ ok: true, document: { nonsense: true }, pipelines: [] });
  });
});
