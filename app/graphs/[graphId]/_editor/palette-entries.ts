import type { CatalogueItem } from './catalogue-store';
import type { PipelineSummary } from './pipeline-ports';

/** What picking a palette entry adds: a catalogue node, a pipeline node, or a graph input/output. */
export type PaletteChoice =
  | { kind: 'node'; item: CatalogueItem }
  | { kind: 'pipeline'; pipeline: PipelineSummary }
  | { kind: 'graph-port'; side: 'input' | 'output' };

export interface PaletteEntry {
  key: string;
  title: string;
  /** Shown in code type after the title in the tree (the type id, "v3"). */
  type: string;
  /** Slash-separated path in the category tree. */
  category: string;
  description?: string;
  choice: PaletteChoice;
}

export const MY_PIPELINES = 'My pipelines';
export const TEAM_PIPELINES = 'Team pipelines';

/**
 * Everything the palette offers: the node catalogue, "Graph input" and "Graph output", and
 * the saved graphs the user may call as pipelines (theirs under "My pipelines", their
 * teams' under "Team pipelines/<team>"), except the graph being edited.
 */
export function paletteEntries(items: readonly CatalogueItem[], pipelines: readonly PipelineSummary[], currentGraphId: string | undefined): PaletteEntry[] {
  const nodes = items.map(
    (item): PaletteEntry => ({
      key: `node:${item.entry.type}`,
      title: item.entry.title,
      type: item.entry.type,
      category: item.entry.category,
      ...(item.entry.description ? { description: item.entry.description } : {}),
      choice: { kind: 'node', item },
    }),
  );
  const ports: PaletteEntry[] = [
    { key: 'graph:input', title: 'Graph input', type: 'input', category: 'graph', description: 'A named input of this graph (callers and runs set it)', choice: { kind: 'graph-port', side: 'input' } },
    { key: 'graph:output', title: 'Graph output', type: 'output', category: 'graph', description: 'A named output of this graph (what runs and callers get back)', choice: { kind: 'graph-port', side: 'output' } },
  ];
  const calls = pipelines
    .filter((p) => p.graphId !== currentGraphId)
    .map(
      (p): PaletteEntry => ({
        key: `pipeline:${p.graphId}`,
        title: p.name,
        type: `v${p.headVersion}`,
        category: p.team ? `${TEAM_PIPELINES}/${p.team.name}` : MY_PIPELINES,
        description: [p.description, `inputs: ${p.inputs.map((i) => i.name).join(', ') || 'none'}; outputs: ${p.outputs.map((o) => o.name).join(', ') || 'none'}`].filter(Boolean).join(' — '),
        choice: { kind: 'pipeline', pipeline: p },
      }),
    );
  // Graph ports and pipelines first: a handful of entries that would be lost below the catalogue.
  return [...ports, ...calls, ...nodes];
}
