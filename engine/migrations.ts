import { GRAPH_FORMAT, GRAPH_VERSION } from './graph-document';

/**
 * Explicit, ordered upgrades of older graph documents. Each step takes a plain
 * JSON value of version N and returns version N+1; steps never throw on shape
 * problems — whatever they cannot make sense of is left for validation to report.
 */
type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

/**
 * v0 → v1. v0 was the prototype draft: no `format`, node positions as `x`/`y`,
 * edges as `links` tuples `[fromNode, fromPort, toNode, toPort]`, no graph inputs/outputs.
 */
const v0ToV1: Migration = (doc) => {
  const { links, ...rest } = doc;
  return {
    ...rest,
    format: GRAPH_FORMAT,
    version: 1,
    nodes: Array.isArray(doc.nodes)
      ? doc.nodes.map((node: unknown) => {
          if (!isRecord(node)) return node;
          const { x, y, ...others } = node;
          return typeof x === 'number' && typeof y === 'number' ? { ...others, position: { x, y } } : others;
        })
      : doc.nodes,
    edges: Array.isArray(links)
      ? links.map((link: unknown) =>
          Array.isArray(link) && link.length === 4
            ? { from: { node: link[0], port: link[1] }, to: { node: link[2], port: link[3] } }
            : link,
        )
      : (links ?? []),
    inputs: [],
    outputs: [],
  };
};

/** migrations[N] upgrades version N to N+1. */
const migrations: Migration[] = [v0ToV1];

export interface UpgradeResult {
  document: unknown;
  /** The version the document had, when it was upgraded. */
  upgradedFrom?: number;
}

export class UnsupportedVersionError extends Error {
  override readonly name = 'UnsupportedVersionError';
}

/** Brings a document of any known version to the current one. */
export function upgradeDocument(raw: unknown): UpgradeResult {
  if (!isRecord(raw)) return { document: raw };
  const declared = raw.version ?? 0;
  if (typeof declared !== 'number' || !Number.isInteger(declared) || declared < 0) return { document: raw };
  if (declared > GRAPH_VERSION) {
    throw new UnsupportedVersionError(
      `document version ${declared} is newer than this Pixelwire understands (${GRAPH_VERSION}); upgrade Pixelwire`,
    );
  }
  let doc = raw;
  for (let v = declared; v < GRAPH_VERSION; v++) doc = migrations[v]!(doc);
  return declared === GRAPH_VERSION ? { document: doc } : { document: doc, upgradedFrom: declared };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
