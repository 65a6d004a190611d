import { zGraphDocument, type GraphDocument, type GraphEdge, type GraphInput, type GraphOutput } from './graph-document';
import { upgradeDocument } from './migrations';

export interface ParamChange {
  param: string;
  from: unknown;
  to: unknown;
}

export interface NodeChange {
  id: string;
  type: string;
  /** The node type changed under the same id (a different node, really). */
  typeChanged?: { from: string; to: string };
  params: ParamChange[];
  label?: { from: string | undefined; to: string | undefined };
  /** Only its position on the canvas moved. */
  movedOnly?: boolean;
}

export interface NamedChange {
  name: string;
  changes: string[];
}

/** What changed from one document to another, by node id, edge, graph input and output. */
export interface DocumentDiff {
  nodes: { added: { id: string; type: string }[]; removed: { id: string; type: string }[]; changed: NodeChange[] };
  edges: { added: GraphEdge[]; removed: GraphEdge[] };
  inputs: { added: string[]; removed: string[]; changed: NamedChange[] };
  outputs: { added: string[]; removed: string[]; changed: NamedChange[] };
  /** One line per change, for people. */
  summary: string[];
}

const edgeKey = (e: GraphEdge) => `${e.from.node}.${e.from.port}→${e.to.node}.${e.to.port}`;
const same = (a: unknown, b: unknown) => stableJson(a) === stableJson(b);
const show = (value: unknown) => {
  const text = JSON.stringify(value) ?? 'unset';
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
};

/** JSON with object keys sorted, so equal values compare equal whatever their key order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** Parses a stored document of any known version; a malformed one counts as empty. */
export function readDocument(raw: unknown): GraphDocument {
  try {
    const parsed = zGraphDocument.safeParse(upgradeDocument(raw).document);
    if (parsed.success) return parsed.data;
  } catch {
    // fall through: nothing to compare
  }
  return { format: 'pixelwire.graph', version: 1, nodes: [], edges: [], inputs: [], outputs: [] };
}

function diffNamed<T extends { name: string }>(from: T[], to: T[], describe: (a: T, b: T) => string[]) {
  const before = new Map(from.map((x) => [x.name, x]));
  const after = new Map(to.map((x) => [x.name, x]));
  return {
    added: [...after.keys()].filter((n) => !before.has(n)),
    removed: [...before.keys()].filter((n) => !after.has(n)),
    changed: [...after.values()].flatMap((b) => {
      const a = before.get(b.name);
      const changes = a ? describe(a, b) : [];
      return changes.length > 0 ? [{ name: b.name, changes }] : [];
    }),
  };
}

const inputChanges = (a: GraphInput, b: GraphInput) => [
  ...(a.kind !== b.kind ? [`kind ${a.kind} → ${b.kind}`] : []),
  ...(a.required !== b.required ? [b.required ? 'now required' : 'now optional'] : []),
  ...(!same(a.default, b.default) ? [`default ${show(a.default)} → ${show(b.default)}`] : []),
  ...(!same(a.targets, b.targets) ? ['targets changed'] : []),
];
const outputChanges = (a: GraphOutput, b: GraphOutput) => [
  ...(a.kind !== b.kind ? [`kind ${a.kind} → ${b.kind}`] : []),
  ...(!same(a.source, b.source) ? [`source ${a.source.node}.${a.source.port} → ${b.source.node}.${b.source.port}`] : []),
];

/** Compares two documents (any known version): what a reviewer of a version wants to see. */
export function diffDocuments(rawFrom: unknown, rawTo: unknown): DocumentDiff {
  const from = readDocument(rawFrom);
  const to = readDocument(rawTo);
  const before = new Map(from.nodes.map((n) => [n.id, n]));
  const after = new Map(to.nodes.map((n) => [n.id, n]));
  const added = to.nodes.filter((n) => !before.has(n.id)).map((n) => ({ id: n.id, type: n.type }));
  const removed = from.nodes.filter((n) => !after.has(n.id)).map((n) => ({ id: n.id, type: n.type }));
  const changed: NodeChange[] = [];
  for (const b of to.nodes) {
    const a = before.get(b.id);
    if (!a) continue;
    const names = [...new Set([...Object.keys(a.params), ...Object.keys(b.params)])].sort();
    const params = names.filter((p) => !same(a.params[p], b.params[p])).map((p) => ({ param: p, from: a.params[p], to: b.params[p] }));
    const typeChanged = a.type !== b.type ? { from: a.type, to: b.type } : undefined;
    const label = a.label !== b.label ? { from: a.label, to: b.label } : undefined;
    const moved = !same(a.position, b.position);
    if (params.length === 0 && !typeChanged && !label && !moved) continue;
    changed.push({ id: b.id, type: b.type, params, ...(typeChanged ? { typeChanged } : {}), ...(label ? { label } : {}), ...(moved && params.length === 0 && !typeChanged && !label ? { movedOnly: true } : {}) });
  }
  const fromEdges = new Map(from.edges.map((e) => [edgeKey(e), e]));
  const toEdges = new Map(to.edges.map((e) => [edgeKey(e), e]));
  const edges = {
    added: [...toEdges].filter(([k]) => !fromEdges.has(k)).map(([, e]) => e),
    removed: [...fromEdges].filter(([k]) => !toEdges.has(k)).map(([, e]) => e),
  };
  const inputs = diffNamed(from.inputs, to.inputs, inputChanges);
  const outputs = diffNamed(from.outputs, to.outputs, outputChanges);

  const summary = [
    ...added.map((n) => `+ node ${n.id} (${n.type})`),
    ...removed.map((n) => `- node ${n.id} (${n.type})`),
    ...changed.flatMap((c) => [
      ...(c.typeChanged ? [`~ node ${c.id}: type ${c.typeChanged.from} → ${c.typeChanged.to}`] : []),
      ...c.params.map((p) => `~ ${c.id}.${p.param}: ${show(p.from)} → ${show(p.to)}`),
      ...(c.label ? [`~ node ${c.id}: label ${show(c.label.from)} → ${show(c.label.to)}`] : []),
      ...(c.movedOnly ? [`~ node ${c.id} moved`] : []),
    ]),
    ...edges.added.map((e) => `+ edge ${edgeKey(e)}`),
    ...edges.removed.map((e) => `- edge ${edgeKey(e)}`),
    ...inputs.added.map((n) => `+ graph input ${n}`),
    ...inputs.removed.map((n) => `- graph input ${n}`),
    ...inputs.changed.map((c) => `~ graph input ${c.name}: ${c.changes.join(', ')}`),
    ...outputs.added.map((n) => `+ graph output ${n}`),
    ...outputs.removed.map((n) => `- graph output ${n}`),
    ...outputs.changed.map((c) => `~ graph output ${c.name}: ${c.changes.join(', ')}`),
  ];
  return { nodes: { added, removed, changed }, edges, inputs, outputs, summary };
}
