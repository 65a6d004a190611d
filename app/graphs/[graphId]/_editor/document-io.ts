'use client';
import { upgradeDocument } from '../../../../engine/migrations';
import { zGraphDocument, type GraphDocument } from '../../../../engine/graph-document';
import { isPng, readGraphFromPng } from './png-graph';

export type ParsedDocument = { ok: true; document: GraphDocument } | { ok: false; message: string };

/** Upgrades and validates a document's shape (node types and ports are checked by the server on save/run). */
export function parseDocument(raw: unknown): ParsedDocument {
  let upgraded: unknown;
  try {
    upgraded = upgradeDocument(raw).document;
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const parsed = zGraphDocument.safeParse(upgraded);
  if (parsed.success) return { ok: true, document: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `not a Pixelwire graph: ${issue ? `${issue.path.join('.') || 'document'}: ${issue.message}` : 'invalid'}` };
}

/** Reads an imported file: a graph JSON document, or a PNG saved by Pixelwire with the graph embedded. */
export async function readDocumentFile(file: File): Promise<ParsedDocument> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (isPng(bytes)) {
    const raw = await readGraphFromPng(bytes);
    return raw === undefined ? { ok: false, message: `${file.name} has no Pixelwire graph embedded` } : parseDocument(raw);
  }
  try {
    return parseDocument(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    return { ok: false, message: `${file.name} is neither a graph JSON document nor a PNG saved by Pixelwire` };
  }
}

/** Downloads the document as `<name>.pixelwire.json`. */
export function downloadDocument(document: GraphDocument, name: string): void {
  const blob = new Blob([JSON.stringify(document, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = window.document.createElement('a');
  a.href = url;
  a.download = `${name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'graph'}.pixelwire.json`;
  window.document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
