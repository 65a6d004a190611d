import { modelsMetaKey } from '../../../../nodes/_impl/models/model-meta';
import type { CatalogueItem } from './catalogue-store';
import type { PixelEdge, PixelNode } from './document-flow';
import type { IoEdge } from './graph-io';

/** The canvas a node's param conditions are checked against. */
export interface ParamCanvas {
  nodes: readonly PixelNode[];
  edges: readonly PixelEdge[];
  ioEdges: readonly IoEdge[];
}

/** Input ports of a node that something feeds (another node or a graph input); param handles are not ports. */
export function connectedPorts(canvas: ParamCanvas, nodeId: string): string[] {
  const ports = new Set<string>();
  for (const e of canvas.edges) if (e.target === nodeId && e.targetHandle) ports.add(e.targetHandle);
  for (const e of canvas.ioEdges) if (e.target === nodeId && !e.data?.param && e.targetHandle) ports.add(e.targetHandle);
  return [...ports].sort();
}

/**
 * The diffusion model a node will use, as far as the canvas tells, the way the diffusion
 * nodes pick it (nodes/diffusion/model-input.ts): a wired `model` input (diffusion.load-model's
 * output) first, then a wired `latent` input (a latent remembers its model), then the node's
 * own diffusion model param (its value or default). Undefined when the canvas cannot tell
 * (a graph input or a pipeline feeds it, or a node without a model).
 */
export function diffusionModelOf(canvas: ParamCanvas, nodeId: string, byType: ReadonlyMap<string, CatalogueItem>, seen = new Set<string>()): string | undefined {
  if (seen.has(nodeId)) return undefined;
  seen.add(nodeId);
  const node = canvas.nodes.find((n) => n.id === nodeId);
  if (!node) return undefined;
  for (const port of ['model', 'latent']) {
    if (canvas.ioEdges.some((e) => e.target === nodeId && e.targetHandle === port)) return undefined;
    const feed = canvas.edges.find((e) => e.target === nodeId && e.targetHandle === port);
    if (feed) return diffusionModelOf(canvas, feed.source, byType, seen);
  }
  const spec = byType.get(node.data.type)?.params.find((p) => p.schema[modelsMetaKey] === 'diffusion');
  if (!spec) return undefined;
  const value = node.data.params[spec.name] ?? spec.schema.default;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * What a node's param conditions depend on besides its own params, as one string (a stable
 * zustand selector value): its connected ports, and the diffusion model it uses when known.
 */
export function paramContextKey(canvas: ParamCanvas, nodeId: string, byType: ReadonlyMap<string, CatalogueItem>): string {
  return `${connectedPorts(canvas, nodeId).join(',')}|${diffusionModelOf(canvas, nodeId, byType) ?? ''}`;
}

export function parseParamContextKey(key: string): { connected: ReadonlySet<string>; model: string | undefined } {
  const bar = key.lastIndexOf('|');
  const ports = bar < 0 ? '' : key.slice(0, bar);
  const model = bar < 0 ? '' : key.slice(bar + 1);
  return { connected: new Set(ports ? ports.split(',') : []), model: model || undefined };
}
