import { resolve } from 'node:path';
import { defaultImageLimits, type ImageLimits } from '../nodes/context';
import { decodeImage } from '../nodes/_impl/decode-image';
import { toGrey } from '../nodes/_impl/pixel-image';
import { isNodeError } from '../nodes/errors';
import { isPortValue, type PortKind, type PortValue } from '../nodes/ports';
import type { GraphDocument } from '../engine/graph-document';
import { readRegularFile } from '../server/storage/file-root';
import { UsageError } from './cli-error';

/** Splits `KEY=VALUE` at the first '='. */
export function splitAssignment(text: string, flag: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`${flag} expects KEY=VALUE, got "${text}"`);
  return [text.slice(0, at), text.slice(at + 1)];
}

/** A --set value: JSON when it parses as JSON, otherwise the text itself. */
export function parseLooseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Applies --set NODE.PARAM=VALUE overrides to a raw document (before validation). */
export function applyParamOverrides(doc: unknown, sets: string[]): unknown {
  if (sets.length === 0) return doc;
  if (typeof doc !== 'object' || doc === null || !('nodes' in doc) || !Array.isArray(doc.nodes)) {
    throw new UsageError('--set needs a document with a nodes array');
  }
  const nodes: unknown[] = structuredClone(doc.nodes);
  const copy = { ...doc, nodes };
  for (const set of sets) {
    const [target, raw] = splitAssignment(set, '--set');
    const dot = target.indexOf('.');
    if (dot <= 0) throw new UsageError(`--set expects NODE.PARAM=VALUE, got "${set}"`);
    const nodeId = target.slice(0, dot);
    const param = target.slice(dot + 1);
    const node = nodes.find((n: unknown) => typeof n === 'object' && n !== null && 'id' in n && n.id === nodeId);
    if (typeof node !== 'object' || node === null) throw new UsageError(`--set: no node "${nodeId}" in the document`);
    const params = 'params' in node && typeof node.params === 'object' && node.params !== null ? node.params : {};
    Object.assign(node, { params: { ...params, [param]: parseLooseValue(raw) } });
  }
  return copy;
}

/** Turns --input NAME=VALUE flags into graph input values of the declared kinds. */
export async function parseGraphInputs(
  doc: GraphDocument,
  flags: string[],
  limits: ImageLimits = defaultImageLimits,
): Promise<Record<string, PortValue>> {
  const values: Record<string, PortValue> = {};
  for (const flag of flags) {
    const [name, raw] = splitAssignment(flag, '--input');
    const declared = doc.inputs.find((i) => i.name === name);
    if (!declared) throw new UsageError(`the graph has no input "${name}" (it has: ${doc.inputs.map((i) => i.name).join(', ') || 'none'})`);
    values[name] = await parseInputValue(declared.kind, raw, name, limits);
  }
  return values;
}

async function parseInputValue(kind: PortKind, raw: string, name: string, limits: ImageLimits): Promise<PortValue> {
  if (kind === 'image' || kind === 'mask') {
    let bytes: Buffer;
    try {
      // Regular files only, and no more than an input may be: /dev/zero or a FIFO is refused, never read forever.
      bytes = await readRegularFile(resolve(raw), limits.maxInputBytes, raw);
    } catch (error) {
      throw new UsageError(`--input ${name}: cannot read image file ${raw}${isNodeError(error) ? ` (${error.message})` : ''}`);
    }
    try {
      const image = await decodeImage(bytes, limits, raw);
      return kind === 'mask' ? toGrey(image) : image;
    } catch (error) {
      if (isNodeError(error)) throw new UsageError(`--input ${name}: ${error.message}`);
      throw error;
    }
  }
  const value = kind === 'text' ? raw : parseLooseValue(raw);
  if (!isPortValue(kind, value)) throw new UsageError(`--input ${name}: "${raw}" is not a valid ${kind}`);
  return value;
}
