import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffusionModelFacts, installedDiffusionFacts } from './model-facts';

const tmp = mkdtempSync(join(tmpdir(), 'pw-model-facts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const env = { PIXELWIRE_MODELS_DIR: tmp };
const write = (path: string, text: string) => {
  mkdirSync(join(tmp, path, '..'), { recursive: true });
  writeFileSync(join(tmp, path), text);
};
const fashionManifest = readFileSync(new URL('../../../models/diffusion/fashion-unet/manifest.json', import.meta.url), 'utf8');
write('diffusion/fashion-unet/manifest.json', fashionManifest);
write('diffusion/sd-turbo/model_index.json', '{}');
write('diffusion/broken/manifest.json', '{"format":"something else"}');

describe('diffusion model facts', () => {
  it('reads a Pixelwire model as pixel space, class-conditioned, with its manifest classes', async () => {
    expect(await diffusionModelFacts('fashion-unet', env)).toEqual({
      space: 'pixel',
      conditioning: 'class',
      classes: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    });
  });

  it('reads a Stable Diffusion export as latent space, text-conditioned', async () => {
    expect(await diffusionModelFacts('sd-turbo', env)).toEqual({ space: 'latent', conditioning: 'text', classes: [] });
  });

  it('knows nothing of a missing model or an invalid manifest, and lists only what it knows', async () => {
    expect(await diffusionModelFacts('nowhere', env)).toBeUndefined();
    expect(await diffusionModelFacts('broken', env)).toBeUndefined();
    expect(Object.keys(await installedDiffusionFacts(env))).toEqual(['fashion-unet', 'sd-turbo']);
  });
});
