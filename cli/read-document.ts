import { defaultImageLimits } from '../nodes/context';
import { readRegularFile } from '../server/storage/file-root';
import { UsageError } from './cli-error';

/** A graph file (JSON, or a PNG carrying its graph) is read only when it is a regular file no larger than an image input may be. */
const readGraphFile = (path: string) => readRegularFile(path, defaultImageLimits.maxInputBytes, path);

/** iTXt keyword of the folder a CLI run read its files from, written into the PNGs it outputs. */
export const FILES_ROOT_PNG_KEYWORD = 'pixelwire.files-root';

/** A graph document and, for a PNG the CLI wrote, the folder the run that made it read its files from. */
export async function readDocumentSource(path: string): Promise<{ document: unknown; fromPng: boolean; filesRoot?: string }> {
  const document = await readDocumentFile(path);
  const bytes = await readGraphFile(path).catch(() => undefined);
  if (!bytes || !isPng(bytes)) return { document, fromPng: false };
  const { readPngText } = await import('../nodes/_impl/png-text');
  const filesRoot = readPngText(bytes)[FILES_ROOT_PNG_KEYWORD];
  return { document, fromPng: true, ...(filesRoot ? { filesRoot } : {}) };
}

const isPng = (bytes: Buffer) => bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

/** Reads a graph document from a JSON file, or from a PNG that Pixelwire saved. */
export async function readDocumentFile(path: string): Promise<unknown> {
  let bytes: Buffer;
  try {
    bytes = await readGraphFile(path);
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (isPng(bytes)) {
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
