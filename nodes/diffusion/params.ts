import { z } from 'zod';
import { modelNamePattern } from '../_impl/diffusion/load-model';
import { modelsMetaKey } from '../_impl/models/model-meta';
import { timestepSpacings } from '../_impl/diffusion/schedule';
import { schedulerNames } from '../_impl/diffusion/schedulers';

/** Params shared by the diffusion nodes, declared once. */
export const zModelName = z.string().regex(modelNamePattern, 'a folder name under <models>/diffusion').default('fashion-unet').describe('Model folder under <models>/diffusion').meta({ [modelsMetaKey]: 'diffusion' });
export const zSchedulerName = z.enum(schedulerNames).default('ddim').describe('ddpm (ancestral), ddim (eta), euler (k-diffusion; eta > 0 is ancestral)');
export const zClassLabel = z.string().default('').describe("Class-conditioned models: class name or index ('' for unconditional)");
export const zPrompt = z.string().max(2000).default('').describe('Text-conditioned models (Stable Diffusion): what to draw');
export const zNegativePrompt = z.string().max(2000).default('').describe('Text-conditioned models: what to steer away from (the unconditional pass)');
const zSide = (what: string) => z.number().int().min(0).max(2048).default(0).describe(`Output ${what} in pixels, a multiple of the VAE's factor (0: the model's size; pixel models have one size)`);
export const zWidth = zSide('width');
export const zHeight = zSide('height');
export const zGuidance = z.number().min(0).max(20).default(3).describe('Classifier-free guidance scale (1: off)');
export const zEta = z.number().min(0).max(1).default(0).describe('Noise added per step (DDIM, Euler ancestral)');
export const zSeed = z.number().int().min(0).max(0xffffffff).default(0).describe('Seed of the deterministic RNG');
export const zClip = z.boolean().default(true).describe('Pixel-space models: clip the predicted image to [-1, 1] at each step (latents are never clipped)');
export const zSpacing = z.enum(timestepSpacings).default('trailing').describe('How sampling timesteps are spread over 1..T');
