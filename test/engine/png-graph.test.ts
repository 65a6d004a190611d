import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeImage } from '../../nodes/_impl/encode-image';
import { GRAPH_PNG_KEYWORD, readEmbeddedGraph } from '../../nodes/_impl/embedded-graph';
import { embedPngText, PngFormatError, readPngText } from '../../nodes/_impl/png-text';
import { builtinRegistry } from '../../nodes/registry';
import { startRun } from '../../engine/executor';
import type { GraphDocumentInput } from '../../engine/graph-document';
import { validateDocument } from '../../engine/validate';
import { createLocalServices } from '../../server/local-services';
import { gradient } from '../helpers/images';

const dataDir = mkdtempSync(join(tmpdir(), 'pw-png-graph-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// photo → invert → save (PNG, graph embedded), with a param bound to no input.
const document: GraphDocumentInput = {
  format: 'pixelwire.graph',
  version: 1,
  metadata: { name: 'Invert and save' },
  nodes: [
    { id: 'invert', type: 'image.invert', params: {}, position: { x: 0, y: 0 } },
    { id: 'save', type: 'image.save', params: { format: 'png', filename: 'inverted' }, position: { x: 200, y: 0 } },
  ],
  edges: [{ from: { node: 'invert', port: 'image' }, to: { node: 'save', port: 'image' } }],
  inputs: [{ name: 'photo', kind: 'image', targets: [{ node: 'invert', port: 'image' }] }],
  outputs: [{ name: 'inverted', kind: 'image', source: { node: 'invert', port: 'image' } }],
};

/** Runs `doc` through the engine with a gradient photo and returns the bytes image.save stored. */
async function savedBytes(doc: GraphDocumentInput): Promise<Buffer> {
  const local = createLocalServices({ dataDir, diskCache: false });
  const handle = startRun({ registry: builtinRegistry, document: doc, inputs: { photo: gradient(24, 16) }, services: local.services });
  let artifactId: string | undefined;
  for await (const event of handle.events) {
    if (event.type === 'node.finished' && event.nodeId === 'save') {
      const artifact = event.outputs.artifact as { id: string };
      artifactId = artifact.id;
    }
  }
  const result = await handle.result;
  expect(result.status, JSON.stringify(result.errors)).toBe('succeeded');
  expect(artifactId).toBeDefined();
  const stored = await local.artifacts.get(artifactId!);
  expect(stored?.meta.mediaType).toBe('image/png');
  return stored!.bytes;
}

describe('graphs embedded in saved PNGs', () => {
  it('image.save embeds the document; readEmbeddedGraph reads it back and it validates', async () => {
    const png = await savedBytes(document);
    // Still an ordinary PNG of the inverted gradient.
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 24, height: 16, channels: 3 });
    expect([...data.subarray(0, 3)]).toEqual([255, 255, 255 - 64]);

    const embedded = readEmbeddedGraph(png);
    expect(embedded).toMatchObject({
      format: 'pixelwire.graph',
      version: 1,
      metadata: { name: 'Invert and save' },
      nodes: [{ id: 'invert', type: 'image.invert' }, { id: 'save', type: 'image.save', params: { format: 'png', filename: 'inverted' } }],
      edges: document.edges,
      inputs: [{ name: 'photo', kind: 'image' }],
    });
    const validated = validateDocument(embedded, builtinRegistry);
    expect(validated.ok, JSON.stringify(!validated.ok && validated.errors)).toBe(true);
    if (validated.ok) expect(validated.plan.nodes.map((n) => n.id)).toEqual(['invert', 'save']);
  });

  it('embeds nothing when embedGraph is off', async () => {
    const off = structuredClone(document);
    off.nodes[1]!.params = { format: 'png', embedGraph: false };
    const png = await savedBytes(off);
    expect(readEmbeddedGraph(png)).toBeUndefined();
  });

  it('gives undefined for a PNG without a graph', async () => {
    const plain = await encodeImage(gradient(8, 8), { format: 'png' });
    expect(readEmbeddedGraph(plain)).toBeUndefined();
    const otherText = embedPngText(plain, { Comment: 'just a comment' });
    expect(readPngText(otherText)).toMatchObject({ Comment: 'just a comment' });
    expect(readEmbeddedGraph(otherText)).toBeUndefined();
  });

  it('gives undefined when the embedded text is not JSON', async () => {
    const plain = await encodeImage(gradient(8, 8), { format: 'png' });
    expect(readEmbeddedGraph(embedPngText(plain, { [GRAPH_PNG_KEYWORD]: '{not json' }))).toBeUndefined();
  });

  it('round-trips non-ASCII text and leaves the pixels alone', async () => {
    const plain = await encodeImage(gradient(8, 8), { format: 'png' });
    const doc = { format: 'pixelwire.graph', version: 1, metadata: { name: 'Café © ünïcode ✓' }, nodes: [] };
    const withGraph = embedPngText(plain, { [GRAPH_PNG_KEYWORD]: JSON.stringify(doc) });
    expect(readEmbeddedGraph(withGraph)).toEqual(doc);
    const [a, b] = await Promise.all([sharp(plain).raw().toBuffer(), sharp(withGraph).raw().toBuffer()]);
    expect(b.equals(a)).toBe(true);
  });

  it('throws PngFormatError for bytes that are not a PNG', async () => {
    const jpeg = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#808080' } }).jpeg().toBuffer();
    expect(() => readEmbeddedGraph(jpeg)).toThrow(PngFormatError);
    expect(() => readEmbeddedGraph(Buffer.from('{"format":"pixelwire.graph"}'))).toThrow(PngFormatError);
    expect(() => readEmbeddedGraph(Buffer.alloc(0))).toThrow(PngFormatError);
  });

  it('throws PngFormatError for a truncated PNG', async () => {
    const png = await savedBytes(document);
    expect(() => readEmbeddedGraph(png.subarray(0, png.length - 20))).toThrow(PngFormatError);
  });
});
