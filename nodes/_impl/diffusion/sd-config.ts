import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { NodeError } from '../../errors';

/**
 * The JSON files of a Stable Diffusion ONNX export (diffusers / optimum layout):
 *   model_index.json, scheduler/scheduler_config.json, unet/config.json,
 *   vae_decoder/config.json — plus tokenizer/, text_encoder/model.onnx,
 *   unet/model.onnx and vae_decoder/model.onnx; vae_encoder/model.onnx only for
 *   diffusion.encode (image-to-image). Unknown keys are kept and ignored.
 */

export const sdGetFrom =
  'a Stable Diffusion ONNX export: `optimum-cli export onnx --model <hub id> <folder>` (diffusers/optimum layout), copied as a whole folder';

export const zModelIndex = z.looseObject({ _class_name: z.string().optional() });

export const zSchedulerConfig = z.looseObject({
  num_train_timesteps: z.number().int().positive().default(1000),
  beta_start: z.number().positive().default(0.00085),
  beta_end: z.number().positive().default(0.012),
  beta_schedule: z.enum(['linear', 'scaled_linear', 'squaredcos_cap_v2']).default('scaled_linear'),
  prediction_type: z.enum(['epsilon', 'v_prediction']).default('epsilon'),
  trained_betas: z.null({ message: 'trained_betas are not supported' }).optional(),
  timestep_spacing: z.string().optional(),
});
export type SchedulerConfig = z.infer<typeof zSchedulerConfig>;

export const zUnetConfig = z.looseObject({
  sample_size: z.number().int().positive().default(64),
  in_channels: z.number().int().min(1).max(16).default(4),
});

export const zVaeConfig = z.looseObject({
  scaling_factor: z.number().positive().default(0.18215),
  latent_channels: z.number().int().positive().default(4),
  block_out_channels: z.array(z.number()).min(1).default([128, 256, 512, 512]),
});

/** Reads one JSON file of the layout; `fallback` (parsed by the schema) is used when an optional file is absent. */
export async function readLayoutJson<S extends z.ZodType>(name: string, dir: string, file: string, schema: S, fallback?: unknown): Promise<z.infer<S>> {
  const path = join(dir, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    if (fallback !== undefined) return schema.parse(fallback);
    throw new NodeError('model_missing', `diffusion model '${name}' is incomplete: ${path} is missing (get ${sdGetFrom})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new NodeError('model_invalid', `diffusion model '${name}': ${file} is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NodeError('model_invalid', `diffusion model '${name}': ${file} is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}
