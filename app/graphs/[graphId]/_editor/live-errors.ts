import type { ValidationError } from '../../../../engine/validation-error';
import type { CatalogueItem } from './catalogue-store';
import type { PixelEdge, PixelNode } from './document-flow';
import type { IoEdge } from './graph-io';
import { ownSignatures, stableJson } from './run-basis-signatures';

export interface CanvasDoc {
  nodes: readonly PixelNode[];
  edges: readonly PixelEdge[];
  ioEdges: readonly IoEdge[];
}

const feedsOf = (c: CanvasDoc, nodeId: string, handle: string) =>
  [...c.edges, ...c.ioEdges]
    .filter((e) => e.target === nodeId && e.targetHandle === handle)
    .map((e) => `${e.source}.${e.sourceHandle ?? ''}`)
    .sort()
    .join('|');

/**
 * The validation errors that still hold for the document as it is now, by node id: the
 * server's errors from `checked` (the canvas it validated) minus those the edits since
 * resolved (a missing input connected, a port rewired, a param changed, a node removed or
 * changed), plus a local check that every required input of a catalogue node is connected.
 */
export function liveErrors(server: readonly ValidationError[], checked: CanvasDoc, now: CanvasDoc, byType: ReadonlyMap<string, CatalogueItem>): Record<string, ValidationError[]> {
  const nodesNow = new Map(now.nodes.map((n) => [n.id, n]));
  const nodesThen = new Map(checked.nodes.map((n) => [n.id, n]));
  const sigNow = ownSignatures(now);
  const sigThen = ownSignatures(checked);
  const out: Record<string, ValidationError[]> = {};
  const add = (e: ValidationError) => {
    if (e.nodeId) (out[e.nodeId] ??= []).push(e);
  };

  for (const e of server) {
    if (!e.nodeId) continue;
    const node = nodesNow.get(e.nodeId);
    // Errors of graph inputs/outputs and other non-document nodes stay as the server said.
    if (!node) {
      if (!nodesThen.has(e.nodeId)) add(e);
      continue;
    }
    if (e.code === 'missing_input') continue; // checked locally below
    if (e.port) {
      if (feedsOf(checked, e.nodeId, e.port) === feedsOf(now, e.nodeId, e.port) && sigThen.get(e.nodeId) === sigNow.get(e.nodeId)) add(e);
    } else if (e.param) {
      const then = nodesThen.get(e.nodeId)?.data.params[e.param];
      if (stableJson(then) === stableJson(node.data.params[e.param])) add(e);
    } else if (sigThen.get(e.nodeId) === sigNow.get(e.nodeId)) add(e);
  }

  for (const node of now.nodes) {
    const item = byType.get(node.data.type);
    if (!item) continue;
    for (const port of item.entry.inputs) {
      if (port.optional || feedsOf(now, node.id, port.name) !== '') continue;
      add({ nodeId: node.id, port: port.name, code: 'missing_input', message: `required input "${port.name}" is not connected` });
    }
  }
  return out;
}
