import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { NodeError } from '../../errors';
import { getModelRuntime, type LoadedModel } from '../models/model-runtime';
import { loadClipTokenizer, type ClipTokenizer } from './clip-tokenizer';
import type { PixelImage } from '../pixel-image';
import { imageToPixels, pixelsToImage } from './latent';
import { latentPreview } from './latent-preview';
import type { Conditioning, DiffusionModel } from './model';
import { makeSchedule, type ScheduleSpec } from './schedule';
import { readLayoutJson, sdGetFrom, zModelIndex, zSchedulerConfig, zUnetConfig, zVaeConfig, type SchedulerConfig } from './sd-config';
import type { ModelSession } from '../models/threaded-session';

/**
 * A Stable Diffusion model in the diffusers/optimum ONNX folder layout: CLIP tokenizer +
 * text encoder → prompt embeddings; UNet (sample, timestep, encoder_hidden_states →
 * out_sample) denoises VAE latents; the VAE decoder turns latents into pixels and the
 * optional VAE encoder pixels into latents (image-to-image). Sessions
 * come from the shared model runtime at each use, so its LRU may evict them between runs.
 */

const maxSide = 2048;
/** Prompt embeddings per text encoder session (dropped with it), a few prompts each. */
const embeddingCache = new WeakMap<ModelSession, Map<string, Embedding>>();
const embeddingCacheSize = 32;

interface Embedding {
  data: Float32Array;
  dims: readonly number[];
}

interface UnetInputs {
  timestep: { type: 'int64' | 'float32'; scalar: boolean };
}

export async function loadStableDiffusion(name: string, dir: string): Promise<DiffusionModel> {
  await readLayoutJson(name, dir, 'model_index.json', zModelIndex);
  const scheduler = await readLayoutJson(name, dir, 'scheduler/scheduler_config.json', zSchedulerConfig, {});
  const unetConfig = await readLayoutJson(name, dir, 'unet/config.json', zUnetConfig, {});
  const vaeConfig = await readLayoutJson(name, dir, 'vae_decoder/config.json', zVaeConfig, {});
  const tokenizer = await loadTokenizer(name, dir);
  const scale = 2 ** (vaeConfig.block_out_channels.length - 1);
  const channels = unetConfig.in_channels;
  const nativeSide = unetConfig.sample_size * scale;
  const schedule = makeSchedule(scheduleSpec(scheduler));

  const load = (part: 'text_encoder' | 'unet' | 'vae_encoder' | 'vae_decoder'): Promise<LoadedModel> =>
    getModelRuntime().load(join(dir, part, 'model.onnx'), { what: `the ${part} of diffusion model '${name}'`, getFrom: sdGetFrom });
  const unet = await load('unet');
  const unetInputs = checkUnet(name, unet.session);

  async function embed(text: string): Promise<Embedding> {
    const { session } = await load('text_encoder');
    let cache = embeddingCache.get(session);
    if (!cache) embeddingCache.set(session, (cache = new Map()));
    const cached = cache.get(text);
    if (cached) return cached;
    const ids = tokenizer.encode(text);
    const idsType = tensorType(session, 'input_ids');
    const feeds = {
      input_ids: idsType === 'int64' ? new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]) : new ort.Tensor('int32', ids, [1, ids.length]),
    };
    const out = await run(name, 'text_encoder', session, feeds);
    const hidden = out.last_hidden_state ?? Object.values(out)[0]!;
    if (!(hidden.data instanceof Float32Array) || hidden.dims.length !== 3) throw new NodeError('model_invalid', `diffusion model '${name}': the text encoder's output is not float32 [1, tokens, width]`);
    const embedding = { data: hidden.data, dims: hidden.dims };
    cache.set(text, embedding);
    if (cache.size > embeddingCacheSize) cache.delete(cache.keys().next().value!);
    return embedding;
  }

  return {
    name,
    kind: 'latent',
    conditioning: 'text',
    schedule,
    prediction: scheduler.prediction_type,
    provider: unet.provider,
    describe: () => ({
      kind: 'diffusion.model',
      name,
      type: 'latent',
      conditioning: 'text',
      imageSize: nativeSide,
      channels,
      vaeScale: scale,
      T: schedule.T,
      schedule: scheduler.beta_schedule,
      prediction: scheduler.prediction_type,
      classes: [],
      nullClass: null,
      guidanceDefault: 7.5,
      licence: null,
    }),
    sampleShape(width, height) {
      const side = (value: number, param: 'width' | 'height') => {
        const v = value === 0 ? nativeSide : value;
        if (v % scale !== 0 || v < scale || v > maxSide) throw new NodeError('invalid_param', `${param} must be a multiple of ${scale} in ${scale}..${maxSide} for diffusion model '${name}' (0: ${nativeSide})`, { param });
        return v / scale;
      };
      return [channels, side(height, 'height'), side(width, 'width')];
    },
    fitsShape: (shape) => shape[0] === channels && shape[1] * scale <= maxSide && shape[2] * scale <= maxSide,
    async condition(request): Promise<Conditioning> {
      const cond = await embed(request.prompt);
      const uncond = await embed(request.negativePrompt);
      return { kind: 'text', cond: cond.data, uncond: uncond.data, dims: cond.dims };
    },
    async runNetwork(x, shape, batch, t, cond) {
      if (cond.kind !== 'text') throw new NodeError('invalid_input', `diffusion model '${name}' is conditioned on text prompts, not class labels`);
      const { session } = await load('unet');
      const context = new Float32Array(cond.cond.length * batch);
      context.set(cond.cond, 0);
      if (batch === 2) context.set(cond.uncond, cond.cond.length);
      const step = t - 1; // the 0-based index the network was trained on
      const { type, scalar } = unetInputs.timestep;
      const timestepDims = scalar ? [] : [batch];
      const count = scalar ? 1 : batch;
      const feeds = {
        sample: new ort.Tensor('float32', x, [batch, ...shape]),
        timestep: type === 'int64' ? new ort.Tensor('int64', new BigInt64Array(count).fill(BigInt(step)), timestepDims) : new ort.Tensor('float32', new Float32Array(count).fill(step), timestepDims),
        encoder_hidden_states: new ort.Tensor('float32', context, [batch, ...cond.dims.slice(1)]),
      };
      const out = await run(name, 'unet', session, feeds);
      const tensor = out.out_sample ?? Object.values(out)[0]!;
      if (!(tensor.data instanceof Float32Array) || tensor.data.length !== x.length) throw new NodeError('model_invalid', `diffusion model '${name}': the UNet's output does not match its input's shape`);
      return tensor.data;
    },
    async fromImage(image) {
      const { width, height } = vaeSize(image, scale);
      const pixels = await imageToPixels(image, 3, height, width);
      const { session } = await load('vae_encoder');
      const out = await run(name, 'vae_encoder', session, { sample: new ort.Tensor('float32', pixels, [1, 3, height, width]) });
      const latent = out.latent_sample ?? out.latent_parameters ?? Object.values(out)[0]!;
      const [, c = 0, h = 0, w = 0] = latent.dims;
      // Newer optimum exports output latent_parameters (mean and log-variance): take the mean.
      if (!(latent.data instanceof Float32Array) || latent.dims.length !== 4 || (c !== channels && c !== 2 * channels) || h !== height / scale || w !== width / scale) {
        throw new NodeError('model_invalid', `diffusion model '${name}': the VAE encoder's output is [${latent.dims.join(', ')}], expected float32 [1, ${channels}, ${height / scale}, ${width / scale}]`);
      }
      const x = Float32Array.from(latent.data.subarray(0, channels * h * w), (v) => v * vaeConfig.scaling_factor);
      return { x, shape: [channels, h, w] };
    },
    async toImage(x, shape) {
      const { session } = await load('vae_decoder');
      const latents = Float32Array.from(x, (v) => v / vaeConfig.scaling_factor);
      const out = await run(name, 'vae_decoder', session, { latent_sample: new ort.Tensor('float32', latents, [1, ...shape]) });
      const image = out.sample ?? Object.values(out)[0]!;
      const [, c = 0, h = 0, w = 0] = image.dims;
      if (!(image.data instanceof Float32Array) || image.dims.length !== 4 || c !== 3) throw new NodeError('model_invalid', `diffusion model '${name}': the VAE decoder's output is not float32 [1, 3, H, W]`);
      return pixelsToImage(image.data, 3, h, w);
    },
    previewImage: (x0, shape) => latentPreview(x0, shape[0], shape[1], shape[2]),
  };
}

/** The size an image is encoded at: sides rounded down to multiples of the VAE's factor, scaled down to fit maxSide. */
export function vaeSize(image: PixelImage, scale: number): { width: number; height: number } {
  const shrink = Math.min(1, maxSide / Math.max(image.width, image.height));
  const side = (v: number) => Math.max(scale, Math.floor((v * shrink) / scale) * scale);
  return { width: side(image.width), height: side(image.height) };
}

function scheduleSpec(config: SchedulerConfig): ScheduleSpec {
  const T = config.num_train_timesteps;
  if (config.beta_schedule === 'squaredcos_cap_v2') return { type: 'cosine', T };
  return { type: config.beta_schedule, betaStart: config.beta_start, betaEnd: config.beta_end, T };
}

async function loadTokenizer(name: string, dir: string): Promise<ClipTokenizer> {
  try {
    return await loadClipTokenizer(join(dir, 'tokenizer'));
  } catch (error) {
    if (error instanceof NodeError) throw new NodeError(error.code, `diffusion model '${name}': ${error.message}`, { cause: error });
    throw error;
  }
}

/** The UNet must take SD 1.x/2.x inputs in float32; SDXL's extra inputs and fp16 exports are refused by name. */
function checkUnet(name: string, session: ModelSession): UnetInputs {
  const expected = ['sample', 'timestep', 'encoder_hidden_states'];
  const missing = expected.filter((n) => !session.inputNames.includes(n));
  const extra = session.inputNames.filter((n) => !expected.includes(n));
  if (missing.length > 0 || extra.length > 0) {
    throw new NodeError(
      'model_invalid',
      `diffusion model '${name}': the UNet takes ${session.inputNames.join(', ')}; Pixelwire runs SD 1.x/2.x UNets (sample, timestep, encoder_hidden_states)${extra.length > 0 ? ` — extra inputs such as ${extra.join(', ')} (SDXL) are not supported yet` : ''}`,
    );
  }
  for (const input of ['sample', 'encoder_hidden_states']) {
    if (tensorType(session, input) !== 'float32') throw new NodeError('model_invalid', `diffusion model '${name}': the UNet's ${input} is ${tensorType(session, input)}; export the model in float32 (fp16 exports are not supported on CPU)`);
  }
  const type = tensorType(session, 'timestep');
  if (type !== 'int64' && type !== 'float32') throw new NodeError('model_invalid', `diffusion model '${name}': the UNet's timestep is ${type}; expected int64 or float32`);
  const meta = session.inputMetadata.find((m) => m.name === 'timestep');
  const scalar = meta !== undefined && meta.isTensor && meta.shape.length === 0;
  return { timestep: { type, scalar } };
}

function tensorType(session: ModelSession, input: string): string {
  const meta = session.inputMetadata.find((m) => m.name === input);
  return meta?.isTensor ? meta.type : 'unknown';
}

async function run(name: string, part: string, session: ModelSession, feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.ReturnType> {
  try {
    return await session.run(feeds);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new NodeError('model_invalid', `diffusion model '${name}': the ${part} failed to run: ${reason}`, { cause: error });
  }
}
