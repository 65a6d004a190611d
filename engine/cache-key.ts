import { createHash } from 'node:crypto';
import { isPixelImage, type PortValue } from '../nodes/ports';

/**
 * JSON with object keys sorted, so equal params give equal keys whatever
 * order they were written in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  const record = value as Record<string, unknown>;
  return `{${keys
    .filter((k) => record[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`)
    .join(',')}}`;
}

/**
 * A node's cache key: its type and version, its params, the keys of whatever
 * feeds its inputs, and any fingerprint it declares. Changing one param changes
 * this key and every key downstream, and nothing upstream.
 */
export function nodeCacheKey(parts: {
  type: string;
  version: number;
  params: unknown;
  inputs: Record<string, string>;
  fingerprint?: string;
}): string {
  const hash = createHash('sha256');
  hash.update(parts.type).update('\0').update(String(parts.version)).update('\0');
  hash.update(canonicalJson(parts.params)).update('\0');
  for (const port of Object.keys(parts.inputs).sort()) hash.update(port).update('=').update(parts.inputs[port]!).update('\0');
  if (parts.fingerprint !== undefined) hash.update('fp:').update(parts.fingerprint);
  return hash.digest('hex');
}

/** Key of a value given from outside the graph (a graph input), from its content. */
export function valueKey(value: PortValue): string {
  const hash = createHash('sha256');
  if (isPixelImage(value)) {
    hash.update(`image:${value.width}x${value.height}x${value.channels}:`).update(value.data);
  } else {
    hash.update(`value:${canonicalJson(value)}`);
  }
  return hash.digest('hex');
}
