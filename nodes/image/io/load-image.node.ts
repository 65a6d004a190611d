import { z } from 'zod';
import { defineNode } from '../../define';
import { NodeError } from '../../errors';
import { port } from '../../ports';
import { decodeImage } from '../../_impl/decode-image';
import { paramUi, when } from '../../param-ui';

const artifactId = /^[0-9a-f]{64}$/;

export const loadImageNode = defineNode({
  type: 'image.load',
  version: 1,
  title: 'Load image',
  category: 'image/io',
  description: 'Loads an uploaded image (artifact) or a file under the configured file root. PNG, JPEG, WebP, GIF, TIFF, AVIF.',
  inputs: {},
  params: z.object({
    source: z.enum(['artifact', 'file']).default('artifact').describe('Where the image comes from'),
    artifact: paramUi(z.string().default('').describe('An uploaded image (its sha256)').meta({ widget: 'artifact' }), { title: 'Image', visibleWhen: when.param('source', 'artifact') }),
    path: paramUi(z.string().max(4096).default('').describe('Path relative to the file root').meta({ widget: 'file' }), { title: 'File path', visibleWhen: when.param('source', 'file') }),
  }),
  outputs: { image: port.image(), width: port.number(), height: port.number() },
  async fingerprint(params, ctx) {
    if (params.source === 'artifact') return `artifact:${params.artifact}`;
    if (!ctx.files) return 'file:no-root';
    if (params.path === '') return 'file:none';
    const info = await ctx.files.stat(params.path);
    return `file:${ctx.files.root}:${params.path}:${info.size}:${info.mtimeMs}`;
  },
  async run({ params, ctx }) {
    let bytes: Buffer;
    if (params.source === 'artifact') {
      if (params.artifact === '') throw new NodeError('image_not_chosen', 'choose an image', { param: 'artifact' });
      if (!artifactId.test(params.artifact)) throw new NodeError('artifact_not_found', 'this is not an uploaded image: choose an image', { param: 'artifact' });
      const found = await ctx.artifacts.get(params.artifact);
      if (!found) throw new NodeError('artifact_not_found', `no artifact ${params.artifact}`, { param: 'artifact' });
      bytes = found.bytes;
    } else {
      if (!ctx.files) throw new NodeError('files_disabled', 'loading from files is not enabled on this server', { param: 'path' });
      if (params.path === '') throw new NodeError('image_not_chosen', 'choose a file (a path under the file root)', { param: 'path' });
      bytes = await ctx.files.read(params.path, ctx.limits.maxInputBytes);
    }
    const image = await decodeImage(bytes, ctx.limits, params.source === 'file' ? `"${params.path}"` : 'the uploaded image');
    return { image, width: image.width, height: image.height };
  },
});
