import { z } from 'zod';
import { modelNamePattern } from '../_impl/diffusion/load-model';
import { modelsMetaKey } from '../_impl/models/model-meta';
import { paramUi, when } from '../param-ui';
import { timestepSpacings } from '../_impl/diffusion/schedule';
import { schedulerNames } from '../_impl/diffusion/schedulers';

/** Params shared by the diffusion nodes, declared once. */
export const zModelName = z.string().regex(modelNamePattern, 'a folder name under <models>/diffusion').default('fashion-unet').describe('Model folder under <models>/diffusion').meta({ [modelsMetaKey]: 'diffusion', title: 'Model' });
/** The model param of a node that also takes a `model` input: shown only while that input is not connected, so the model is picked in one place. */
export const zModelNameUnlessWired = paramUi(zModelName, { visibleWhen: when.unconnected('model') });
export const zSchedulerName = z.enum(schedulerNames).default('ddim').describe('ddpm (ancestral), ddim (eta), euler (k-diffusion; eta > 0 is ancestral)');
export const zClassLabel = paramUi(z.string().default('').describe("Class-conditioned models: class name or index ('' for unconditional)").meta({ widget: 'class-label' }), { title: 'Class', visibleWhen: when.model('class-conditioned') });
export const zPrompt = paramUi(z.string().max(2000).default('').describe('Text-conditioned models (Stable Diffusion): what to draw'), { visibleWhen: when.model('text-conditioned') });
export const zNegativePrompt = paramUi(z.string().max(2000).default('').describe('Text-conditioned models: what to steer away from (the unconditional pass)'), { visibleWhen: when.model('text-conditioned') });
/** Pixel-space models make one size: the size params apply to latent models only. */
const zSide = (what: string) => paramUi(z.number().int().min(0).max(2048).default(0).describe(`Output ${what} in pixels, a multiple of the VAE's factor (0: the model's size; pixel models have one size)`), { visibleWhen: when.model('latent-space') });
export const zWidth = zSide('width');
export const zHeight = zSide('height');
export const zGuidance = z.number().min(0).max(20).default(3).describe('Classifier-free guidance scale (1: off)');
export const zEta = paramUi(z.number().min(0).max(1).default(0).describe('Noise added per step (DDIM, Euler ancestral)'), { visibleWhen: when.param('scheduler', 'ddim', 'euler') });
export const zSeed = z.number().int().min(0).max(0xffffffff).default(0).describe('Seed of the deterministic RNG');
export const zClip = paramUi(z.boolean().default(true).describe('Pixel-space models: clip the predicted image to [-1, 1] at each step (latents are never clipped)'), { visibleWhen: when.model('pixel-space') });
export const zSpacing = z.enum(timestepSpacings).default('trailing').describe('How sampling timesteps are spread over 1..T');
