import type { InputKind, PortKind } from '../../../../nodes/ports';
import { anyKinds, type DeclaredPorts, type Wire } from './any-kinds';
import type { CatalogueItem } from './catalogue-store';
import type { PixelNode } from './document-flow';
import { IO_HANDLE, paramHandleId, type IoEdge, type IoNode } from './graph-io';
import type { ParamSpec } from './param-schema';
import { PIPELINE_TYPE, pipelineParamsOf, type PipelinePorts } from './pipeline-ports';

/**
 * The handles of one canvas node and the kind each carries, looked up by handle id (never
 * parsed out of it): from the catalogue for node types, from the pinned version's ports
 * for pipeline nodes, from the node itself for graph inputs and outputs.
 */
export interface NodePorts {
  /** `any`: an input that takes every kind. */
  inputs: ReadonlyMap<string, InputKind>;
  /** `any`: an output that carries what feeds it (a reroute, a Show value) while nothing does yet. */
  outputs: ReadonlyMap<string, InputKind>;
  /** Target handles of params a graph input may set: handle id → the param and the plain kind it takes. */
  params: ReadonlyMap<string, { param: string; kind: PortKind }>;
  /** Graph inputs and outputs: the node is the graph's own port. */
  graphPort?: 'input' | 'output';
  /** A graph input not wired yet, or a graph output: its kind follows what it is wired to. */
  adoptsKind?: boolean;
  /**
   * Nodes with `any` ports: the input kinds a value reaches downstream through them, which a new
   * source must fit — by input handle, and by output handle for an output whose kind is not known yet.
   */
  onward?: { inputs: ReadonlyMap<string, readonly InputKind[]>; outputs: ReadonlyMap<string, readonly InputKind[]> };
}
export type PortLookup = (nodeId: string) => NodePorts | undefined;

/** The plain kind of value a param takes (what a graph input setting it must be). */
export function paramKind(spec: ParamSpec): PortKind {
  switch (spec.kind) {
    case 'number':
    case 'integer':
    case 'seed':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'select':
      return (spec.schema.enum ?? []).every((v) => typeof v === 'number') ? 'number' : 'text';
    case 'json':
      return 'json';
    default:
      return 'text';
  }
}

export function paramHandlesOf(params: readonly ParamSpec[]): Map<string, { param: string; kind: PortKind }> {
  return new Map(params.map((p) => [paramHandleId(p.name), { param: p.name, kind: paramKind(p) }]));
}

const none = new Map<string, never>();
const fromPipeline = new WeakMap<PipelinePorts, NodePorts>();

export function pipelineNodePorts(ports: PipelinePorts): NodePorts {
  let found = fromPipeline.get(ports);
  if (!found) {
    found = {
      inputs: new Map(ports.inputs.filter((i) => i.feedsPort).map((i) => [i.name, i.kind])),
      outputs: new Map(ports.outputs.map((o) => [o.name, o.kind])),
      params: none,
    };
    fromPipeline.set(ports, found);
  }
  return found;
}

export interface LookupSources {
  nodes: readonly PixelNode[];
  ioNodes: readonly IoNode[];
  ioEdges: readonly IoEdge[];
  byType: ReadonlyMap<string, CatalogueItem>;
  pipelinePorts(graphId: string, version: number): PipelinePorts | undefined;
  /** The node edges: the kinds of `any` outputs follow them (without them such outputs stay `any`). */
  edges?: readonly Wire[];
}

const sameAsOf = new WeakMap<CatalogueItem, ReadonlyMap<string, string>>();
/** A catalogue node's `any` outputs and the input each follows. */
function sameAs(item: CatalogueItem): ReadonlyMap<string, string> {
  let found = sameAsOf.get(item);
  if (!found) {
    found = new Map(item.entry.outputs.flatMap((o) => (o.sameAs ? [[o.name, o.sameAs] as const] : [])));
    sameAsOf.set(item, found);
  }
  return found;
}

/** A PortLookup over the current canvas. */
export function makePortLookup(s: LookupSources): PortLookup {
  const nodes = new Map(s.nodes.map((n) => [n.id, n]));
  const io = new Map(s.ioNodes.map((n) => [n.id, n]));
  const declared = (nodeId: string): DeclaredPorts | undefined => {
    const node = nodes.get(nodeId);
    const item = node && s.byType.get(node.data.type);
    return item ? { inputs: item.inputKinds, outputs: item.outputKinds, sameAs: sameAs(item) } : lookup(nodeId);
  };
  const kinds = anyKinds(declared, [...(s.edges ?? []), ...s.ioEdges]);
  const lookup: PortLookup = (nodeId) => {
    const node = nodes.get(nodeId);
    if (node) {
      if (node.data.type === PIPELINE_TYPE) {
        const params = pipelineParamsOf(node.data.params);
        const ports = params && s.pipelinePorts(params.graphId, params.version);
        return ports ? pipelineNodePorts(ports) : undefined;
      }
      const item = s.byType.get(node.data.type);
      if (!item) return undefined;
      const follows = sameAs(item);
      const anyInputs = [...item.inputKinds].filter(([, kind]) => kind === 'any').map(([name]) => name);
      if (follows.size === 0 && anyInputs.length === 0) return { inputs: item.inputKinds, outputs: item.outputKinds, params: item.paramHandles };
      // `any` ports: outputs resolved through the wiring, and what a new source would have to fit downstream.
      const outputs = new Map([...item.outputKinds].map(([name, kind]) => [name, kind === 'any' ? (kinds.outputKind(nodeId, name) ?? 'any') : kind]));
      const onward = {
        inputs: new Map(anyInputs.map((name) => [name, kinds.onwardOfInput(nodeId, name)])),
        outputs: new Map([...outputs].filter(([, kind]) => kind === 'any').map(([name]) => [name, kinds.onwardOfOutput(nodeId, name)])),
      };
      return { inputs: item.inputKinds, outputs, params: item.paramHandles, onward };
    }
    const ioNode = io.get(nodeId);
    if (!ioNode) return undefined;
    const kind = new Map([[IO_HANDLE, ioNode.data.kind]]);
    if (ioNode.type === 'graphInput') {
      const wired = s.ioEdges.some((e) => e.source === nodeId);
      return { inputs: none, outputs: kind, params: none, graphPort: 'input', adoptsKind: !wired };
    }
    return { inputs: kind, outputs: none, params: none, graphPort: 'output', adoptsKind: true };
  };
  return lookup;
}
