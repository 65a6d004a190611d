import { readFile } from 'node:fs/promises';
import { UsageError } from './cli-error';

/** Reads a graph document from a JSON file, or from a PNG that Pixelwire saved. */
export async function readDocumentFile(path: string): Promise<unknown> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    const { readEmbeddedGraph } = await import('../nodes/_impl/embedded-graph');
    const embedded = readEmbeddedGraph(bytes);
    if (embedded === undefined) throw new UsageError(`${path} is a PNG without an embedded Pixelwire graph`);
    return embedded;
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
