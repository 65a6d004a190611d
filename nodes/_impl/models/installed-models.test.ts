import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installedModelNames, installedModels } from './installed-models';

const tmp = mkdtempSync(join(tmpdir(), 'pw-installed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const models = join(tmp, 'models');
const env = { PIXELWIRE_MODELS_DIR: models };
const write = (path: string, text = 'x') => {
  mkdirSync(join(models, path, '..'), { recursive: true });
  writeFileSync(join(models, path), text);
};

write('style/mosaic.onnx');
write('style/candy.onnx');
write('style/SHA256SUMS');
write('style/notes.txt');
write('style/.hidden.onnx');
mkdirSync(join(models, 'style', 'folder.onnx'));
mkdirSync(join(tmp, 'elsewhere'));
writeFileSync(join(tmp, 'elsewhere', 'udnie.onnx'), 'x');
symlinkSync(join(tmp, 'elsewhere', 'udnie.onnx'), join(models, 'style', 'udnie.onnx'));
write('diffusion/fashion-unet/manifest.json', '{}');
write('diffusion/sd-turbo/model_index.json', '{}');
write('diffusion/half-copied/unet/model.onnx');
write('diffusion/loose.json', '{}');

describe('installedModelNames', () => {
  it('lists style models: .onnx files (symlinks followed) without the extension, sorted', async () => {
    expect(await installedModelNames('style', env)).toEqual(['candy', 'mosaic', 'udnie']);
  });

  it('lists diffusion models: folders with manifest.json or model_index.json', async () => {
    expect(await installedModelNames('diffusion', env)).toEqual(['fashion-unet', 'sd-turbo']);
  });

  it('is empty when the kind has no folder, or the models dir does not exist', async () => {
    const empty = { PIXELWIRE_MODELS_DIR: join(tmp, 'empty') };
    mkdirSync(empty.PIXELWIRE_MODELS_DIR);
    expect(await installedModels(empty)).toEqual({ style: [], diffusion: [] });
    expect(await installedModels({ PIXELWIRE_MODELS_DIR: join(tmp, 'missing') })).toEqual({ style: [], diffusion: [] });
  });
});
