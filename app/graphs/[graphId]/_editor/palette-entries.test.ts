import { describe, expect, it } from 'vitest';
import { catalogueItem } from './catalogue-store';
import { MY_PIPELINES, paletteEntries } from './palette-entries';
import type { PipelineSummary } from './pipeline-ports';

const blur = catalogueItem({ type: 'image.blur', version: 1, title: 'Gaussian blur', category: 'image/filter', inputs: [], outputs: [], params: {} });
const pipeline = (graphId: string, name: string, team: PipelineSummary['team']): PipelineSummary => ({
  graphId,
  name,
  description: null,
  team,
  headVersion: 2,
  inputs: [{ name: 'photo', kind: 'image', required: true, setsParams: false }],
  outputs: [{ name: 'result', kind: 'image' }],
});

describe('paletteEntries', () => {
  it('offers nodes, graph inputs/outputs, and pipelines by owner, without the graph being edited', () => {
    const entries = paletteEntries([blur], [pipeline('g1', 'Blur pipeline', null), pipeline('g2', 'Team cleanup', { id: 't', name: 'Lab' }), pipeline('self', 'This graph', null)], 'self');
    expect(entries.map((e) => [e.title, e.category])).toEqual([
      ['Graph input', 'graph'],
      ['Graph output', 'graph'],
      ['Blur pipeline', MY_PIPELINES],
      ['Team cleanup', 'Team pipelines/Lab'],
      ['Gaussian blur', 'image/filter'],
    ]);
    expect(entries[2]).toMatchObject({ type: 'v2', description: 'inputs: photo; outputs: result', choice: { kind: 'pipeline' } });
  });
});
