import { z } from 'zod';
import { defineNode } from '../../define';
import { port } from '../../ports';
import { GRAPH_PNG_KEYWORD, PROVENANCE_PNG_KEYWORD } from '../../_impl/embedded-graph';
import { encodeImage, imageFormats, mediaTypes } from '../../_impl/encode-image';
import { paramUi, when } from '../../param-ui';

export const saveImageNode = defineNode({
  type: 'image.save',
  version: 1,
  title: 'Save image',
  category: 'image/io',
  description: 'Encodes the image as PNG, JPEG or WebP into the artifact store. PNGs carry the graph that made them.',
  inputs: { image: port.image() },
  params: z.object({
    format: z.enum(imageFormats).default('png'),
    quality: paramUi(z.number().int().min(1).max(100).default(90).describe('JPEG/WebP quality'), { visibleWhen: when.param('format', 'jpeg', 'webp') }),
    filename: paramUi(z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,100}$/, 'letters, digits, ".", "_" and "-" only')
      .default('pixelwire')
      .describe('Base name used when the file is written out'), { title: 'File name' }),
    embedGraph: paramUi(z.boolean().default(true).describe('PNG only: embed the graph document (and where it comes from: graph, version, models) so the image reopens it'), { visibleWhen: when.param('format', 'png') }),
  }),
  outputs: { image: port.image(), artifact: port.json() },
  // The provenance it embeds (not the run id) is part of what the file is.
  fingerprint: (_params, ctx) => (ctx.provenance ? JSON.stringify({ ...ctx.provenance, runId: undefined }) : ''),
  async run({ inputs, params, ctx }) {
    const { image } = inputs;
    const pngText =
      params.format === 'png' && params.embedGraph
        ? {
            [GRAPH_PNG_KEYWORD]: JSON.stringify(ctx.document),
            ...(ctx.provenance ? { [PROVENANCE_PNG_KEYWORD]: JSON.stringify(ctx.provenance) } : {}),
          }
        : undefined;
    const bytes = await encodeImage(image, { format: params.format, quality: params.quality, pngText });
    const meta = await ctx.artifacts.put(bytes, { mediaType: mediaTypes[params.format], width: image.width, height: image.height });
    const artifact = {
      id: meta.id,
      mediaType: meta.mediaType,
      size: meta.size,
      width: image.width,
      height: image.height,
      filename: `${params.filename}.${params.format === 'jpeg' ? 'jpg' : params.format}`,
    };
    return { image, artifact };
  },
});
