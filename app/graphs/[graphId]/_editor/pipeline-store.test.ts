import { beforeEach, describe, expect, it, vi } from 'vitest';

const get = vi.fn();
vi.mock('../../../_lib/trpc', () => ({ trpc: { graphs: { get: { query: (input: unknown) => get(input) } }, catalogue: { pipelines: { query: async () => [] } } } }));

const { pipelinePortsOf, pipelinePortsProblem, usePipelineStore } = await import('./pipeline-store');

const summary = {
  graphId: 'g1',
  name: 'Blur pipeline',
  description: null,
  team: null,
  headVersion: 3,
  inputs: [
    { name: 'photo', kind: 'image', required: true, setsParams: false },
    { name: 'amount', kind: 'number', required: false, default: 2, setsParams: true },
  ],
  outputs: [{ name: 'result', kind: 'image' }],
};

describe('usePipelineStore', () => {
  beforeEach(() => {
    get.mockReset();
    usePipelineStore.setState({ status: 'idle', list: [], byId: new Map(), versions: {}, rejected: [] });
  });

  it('keeps valid catalogue entries with their head ports and says which it rejected', () => {
    usePipelineStore.getState().setList([summary, { graphId: 'bad' }]);
    const s = usePipelineStore.getState();
    expect(s.list.map((p) => p.name)).toEqual(['Blur pipeline']);
    expect(s.rejected).toHaveLength(1);
    expect(pipelinePortsOf(s, 'g1', 3)?.inputs.map((i) => [i.name, i.feedsPort, i.setsParams])).toEqual([
      ['photo', true, false],
      ['amount', false, true],
    ]);
    expect(pipelinePortsOf(s, 'g1', 2)).toBeUndefined();
  });

  it('fetches a pinned older version once and reads its ports from the document', async () => {
    get.mockResolvedValue({
      version: {
        number: 2,
        document: {
          format: 'pixelwire.graph',
          version: 1,
          nodes: [{ id: 'blur', type: 'image.blur', params: {} }],
          edges: [],
          inputs: [{ name: 'photo', kind: 'image', targets: [{ node: 'blur', port: 'image' }] }],
          outputs: [{ name: 'out', kind: 'image', source: { node: 'blur', port: 'image' } }],
        },
      },
    });
    usePipelineStore.getState().ensureVersion('g1', 2);
    usePipelineStore.getState().ensureVersion('g1', 2);
    expect(get).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(pipelinePortsOf(usePipelineStore.getState(), 'g1', 2)).toBeDefined());
    expect(pipelinePortsOf(usePipelineStore.getState(), 'g1', 2)?.outputs).toEqual([{ name: 'out', kind: 'image' }]);
  });

  it('records why a version could not be read', async () => {
    get.mockRejectedValue(new Error('pipeline not found'));
    usePipelineStore.getState().ensureVersion('gone', 1);
    await vi.waitFor(() => expect(pipelinePortsProblem(usePipelineStore.getState(), 'gone', 1)).toBe('pipeline not found'));
  });
});
