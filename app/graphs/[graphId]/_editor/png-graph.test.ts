import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { embedPngText } from '../../../../nodes/_impl/png-text';
import { GRAPH_PNG_KEYWORD, readGraphFromPng } from './png-graph';

describe('readGraphFromPng', () => {
  it('reads the graph that Pixelwire embeds in a saved PNG', async () => {
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#336699' } }).png().toBuffer();
    const doc = { format: 'pixelwire.graph', version: 1, nodes: [{ id: 'blur1', type: 'image.blur', params: { sigma: 3 } }], edges: [] };
    const embedded = embedPngText(png, { [GRAPH_PNG_KEYWORD]: JSON.stringify(doc) });
    expect(await readGraphFromPng(new Uint8Array(embedded))).toEqual(doc);
  });

  it('returns undefined for a plain PNG or another file', async () => {
    const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } }).png().toBuffer();
    expect(await readGraphFromPng(new Uint8Array(png))).toBeUndefined();
    expect(await readGraphFromPng(new TextEncoder().encode('{"not":"png"}'))).toBeUndefined();
  });
});
