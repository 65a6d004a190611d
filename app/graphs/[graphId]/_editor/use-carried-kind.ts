'use client';
import type { InputKind } from '../../../../nodes/ports';
import { useCatalogueStore } from './catalogue-store';
import { useGraphStore } from './graph-store';
import { makePortLookup, type LookupSources, type PortLookup } from './node-ports';
import { pipelinePortsOf, usePipelineStore } from './pipeline-store';

type Pipelines = Parameters<typeof pipelinePortsOf>[0];
type Sources = Omit<LookupSources, 'pipelinePorts'> & Pipelines;

let last: { sources: Sources; lookup: PortLookup } | undefined;

/** One lookup per state of the canvas, shared by every node that asks (reroutes and Show value nodes). */
function lookupOf(sources: Sources): PortLookup {
  const same = last !== undefined && (Object.keys(sources) as (keyof Sources)[]).every((k) => last!.sources[k] === sources[k]);
  if (!same || !last) {
    const pipelines: Pipelines = { byId: sources.byId, versions: sources.versions };
    last = { sources, lookup: makePortLookup({ ...sources, pipelinePorts: (graphId, version) => pipelinePortsOf(pipelines, graphId, version) }) };
  }
  return last.lookup;
}

/** The kind an output of a node carries as the canvas is wired now: declared, or for an `any` output what feeds it (`any` while nothing does). */
export function useCarriedKind(nodeId: string, output: string): InputKind {
  const byType = useCatalogueStore((s) => s.byType);
  const byId = usePipelineStore((s) => s.byId);
  const versions = usePipelineStore((s) => s.versions);
  return useGraphStore((s) => lookupOf({ nodes: s.nodes, edges: s.edges, ioNodes: s.ioNodes, ioEdges: s.ioEdges, byType, byId, versions })(nodeId)?.outputs.get(output) ?? 'any');
}
