/** The iTXt keyword under which Pixelwire embeds the graph in a saved PNG (nodes/_impl/embedded-graph.ts). */
export const GRAPH_PNG_KEYWORD = 'pixelwire.graph';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(bytes: Uint8Array): boolean {
  return SIGNATURE.every((b, i) => bytes[i] === b);
}

async function inflate(body: Uint8Array<ArrayBuffer>): Promise<string> {
  const stream = new Blob([body]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Response(stream).text();
}

/**
 * The text of a PNG's tEXt/iTXt entry `keyword`, read in the browser (DecompressionStream
 * instead of node:zlib). Undefined when the file is not a PNG or has no such entry.
 */
export async function readPngTextEntry(bytes: Uint8Array<ArrayBuffer>, keyword: string): Promise<string | undefined> {
  if (!isPng(bytes)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const latin1 = new TextDecoder('latin1');
  const utf8 = new TextDecoder('utf-8');
  let offset = 8;
  while (offset + 12 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = latin1.decode(bytes.subarray(offset + 4, offset + 8));
    const data = bytes.slice(offset + 8, Math.min(offset + 8 + length, bytes.length));
    offset += 12 + length;
    if (type === 'IEND') break;
    if (type !== 'tEXt' && type !== 'iTXt') continue;
    const nul = data.indexOf(0);
    if (nul <= 0 || latin1.decode(data.subarray(0, nul)) !== keyword) continue;
    if (type === 'tEXt') return latin1.decode(data.subarray(nul + 1));
    const compressed = data[nul + 1] === 1;
    const langEnd = data.indexOf(0, nul + 3);
    const transEnd = langEnd < 0 ? -1 : data.indexOf(0, langEnd + 1);
    if (transEnd < 0) continue;
    const body = data.slice(transEnd + 1);
    return compressed ? inflate(body) : utf8.decode(body);
  }
  return undefined;
}

/** The graph document embedded in a PNG saved by Pixelwire (unvalidated JSON), or undefined. */
export async function readGraphFromPng(bytes: Uint8Array<ArrayBuffer>): Promise<unknown> {
  const text = await readPngTextEntry(bytes, GRAPH_PNG_KEYWORD);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
