/**
 * A tiny, randomly initialised Stable Diffusion model in the folder layout that
 * optimum's ORTStableDiffusionPipeline export writes (model_index.json, scheduler/,
 * tokenizer/, text_encoder/, unet/, vae_decoder/, vae_encoder/), for testing the SD loader's
 * plumbing without downloading weights. Its images are noise: it checks names,
 * dtypes, shapes and wiring, not quality. The whole folder is about 100 KB.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { OnnxGraphBuilder, type TensorElemType } from './onnx-writer';

export interface TinyStableDiffusionOptions {
  /** dtype of the unet's `timestep` input (default int64, as optimum exports it). */
  timestepType?: 'int64' | 'float32';
  predictionType?: 'epsilon' | 'v_prediction';
  /** Seed of the weights (default 0); the same seed writes identical bytes. */
  seed?: number;
  /** Latent side written to unet/config.json (default 8); the models accept any size. */
  sampleSize?: number;
}

const hiddenSize = 32;
const maxLength = 77;
const latentChannels = 4;
const vaeScale = 8;

/** Words whose BPE merges build them whole, e.g. "cat" → `cat</w>`. Their letter pairs do not collide. */
const tinyWords = ['cat', 'dog', 'red', 'sky', 'blue', 'photo', 'of', 'sun', 'moon'];

/** GPT-2 / CLIP bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 upward. */
function bytesToUnicode(): string[] {
  const bytes = Array.from({ length: 256 }, (_, b) => b);
  const printable = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  const others = bytes.filter((b) => !printable(b)).map((_, n) => 256 + n);
  return [...bytes.filter(printable), ...others].map((c) => String.fromCodePoint(c));
}

/** Merges that join each word left to right, the last symbol carrying `</w>`. */
function wordMerges(word: string): [string, string][] {
  const symbols = [...word];
  symbols[symbols.length - 1] += '</w>';
  const merges: [string, string][] = [];
  let head = symbols[0]!;
  for (const next of symbols.slice(1)) {
    merges.push([head, next]);
    head += next;
  }
  return merges;
}

/** CLIP's vocab order: 256 byte characters, the same with `</w>`, merged tokens, then the two specials. */
function tinyVocab(): { vocab: Record<string, number>; merges: [string, string][] } {
  const chars = bytesToUnicode();
  const merges = tinyWords.flatMap(wordMerges);
  const tokens = [...chars, ...chars.map((c) => `${c}</w>`), ...merges.map(([a, b]) => a + b), '<|startoftext|>', '<|endoftext|>'];
  return { vocab: Object.fromEntries(tokens.map((t, i) => [t, i])), merges };
}

/** Number of tokens in the tiny CLIP vocab; `<|startoftext|>` is tinyVocabSize-2, `<|endoftext|>` tinyVocabSize-1. */
export const tinyVocabSize = Object.keys(tinyVocab().vocab).length;

/** Seeded normal samples (mulberry32 + Box–Muller), deterministic for a seed. */
function normalSampler(seed: number): (count: number, std: number) => Float32Array {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (count, std) => {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = std * Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    return out;
  };
}

/** input_ids int32 [batch, 77] → last_hidden_state [batch, 77, 32] = tanh((tok + pos) W), pooler_output [batch, 32] = its mean over tokens. */
function textEncoder(randn: ReturnType<typeof normalSampler>): Uint8Array {
  const g = new OnnxGraphBuilder('text_encoder');
  g.input('input_ids', 'int32', ['batch_size', maxLength]);
  g.initializer('token_embedding', randn(tinyVocabSize * hiddenSize, 0.5), [tinyVocabSize, hiddenSize]);
  g.initializer('position_embedding', randn(maxLength * hiddenSize, 0.1), [maxLength, hiddenSize]);
  g.initializer('proj', randn(hiddenSize * hiddenSize, 1 / Math.sqrt(hiddenSize)), [hiddenSize, hiddenSize]);
  g.node('Gather', ['token_embedding', 'input_ids'], ['tokens']);
  g.node('Add', ['tokens', 'position_embedding'], ['embedded']);
  g.node('MatMul', ['embedded', 'proj'], ['projected']);
  g.node('Tanh', ['projected'], ['last_hidden_state']);
  g.node('ReduceMean', ['last_hidden_state'], ['pooler_output'], { axes: [1], keepdims: 0 }); // opset 17: axes is an attribute
  g.output('last_hidden_state', 'float32', ['batch_size', maxLength, hiddenSize]);
  g.output('pooler_output', 'float32', ['batch_size', hiddenSize]);
  return g.toModelBytes();
}

/**
 * out_sample = Conv3x3(sample) + sin(0.001 t) + mean_tokens(encoder_hidden_states) W, so each input
 * matters. The conv starts near identity (a "mostly noise" ε), which keeps samplers finite. The
 * timestep reshapes to [-1,1,1,1], so a [1] timestep broadcasts over a larger batch as diffusers passes it.
 */
function unet(randn: ReturnType<typeof normalSampler>, timestepType: TensorElemType): Uint8Array {
  const g = new OnnxGraphBuilder('unet');
  g.input('sample', 'float32', ['batch_size', latentChannels, 'height', 'width']);
  g.input('timestep', timestepType, ['steps']);
  g.input('encoder_hidden_states', 'float32', ['batch_size', maxLength, hiddenSize]);
  const conv = randn(latentChannels * latentChannels * 9, 0.05);
  for (let c = 0; c < latentChannels; c++) {
    const centre = (c * latentChannels + c) * 9 + 4;
    conv[centre] = conv[centre]! + 1;
  }
  g.initializer('conv.weight', conv, [latentChannels, latentChannels, 3, 3]);
  g.initializer('conv.bias', randn(latentChannels, 0.05), [latentChannels]);
  g.initializer('time_scale', Float32Array.of(0.001), []);
  g.initializer('time_shape', BigInt64Array.of(-1n, 1n, 1n, 1n), [4]);
  g.initializer('context.weight', randn(hiddenSize * latentChannels, 0.1), [hiddenSize, latentChannels]);
  g.initializer('context_shape', BigInt64Array.of(-1n, BigInt(latentChannels), 1n, 1n), [4]);
  g.node('Conv', ['sample', 'conv.weight', 'conv.bias'], ['conv_out'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
  g.node('Cast', ['timestep'], ['t_float'], { to: 1 /* FLOAT */ });
  g.node('Mul', ['t_float', 'time_scale'], ['t_scaled']);
  g.node('Sin', ['t_scaled'], ['t_embed']);
  g.node('Reshape', ['t_embed', 'time_shape'], ['t_bias']);
  g.node('ReduceMean', ['encoder_hidden_states'], ['context_mean'], { axes: [1], keepdims: 0 });
  g.node('MatMul', ['context_mean', 'context.weight'], ['context_proj']);
  g.node('Reshape', ['context_proj', 'context_shape'], ['context_bias']);
  g.node('Add', ['conv_out', 't_bias'], ['with_time']);
  g.node('Add', ['with_time', 'context_bias'], ['out_sample']);
  g.output('out_sample', 'float32', ['batch_size', latentChannels, 'height', 'width']);
  return g.toModelBytes();
}

/** latent_sample [batch, 4, h, w] → sample [batch, 3, 8h, 8w] = tanh(ConvTranspose 8x8 stride 8). */
function vaeDecoder(randn: ReturnType<typeof normalSampler>): Uint8Array {
  const g = new OnnxGraphBuilder('vae_decoder');
  g.input('latent_sample', 'float32', ['batch_size', latentChannels, 'height_latent', 'width_latent']);
  g.initializer('up.weight', randn(latentChannels * 3 * vaeScale * vaeScale, 0.1), [latentChannels, 3, vaeScale, vaeScale]);
  g.initializer('up.bias', randn(3, 0.05), [3]);
  g.node('ConvTranspose', ['latent_sample', 'up.weight', 'up.bias'], ['upsampled'], { kernel_shape: [vaeScale, vaeScale], strides: [vaeScale, vaeScale] });
  g.node('Tanh', ['upsampled'], ['sample']);
  g.output('sample', 'float32', ['batch_size', 3, 'height', 'width']);
  return g.toModelBytes();
}

/** sample [batch, 3, H, W] → latent_sample [batch, 4, H/8, W/8] = Conv 8x8 stride 8 (the decoder's inverse in shape only). */
function vaeEncoder(randn: ReturnType<typeof normalSampler>): Uint8Array {
  const g = new OnnxGraphBuilder('vae_encoder');
  g.input('sample', 'float32', ['batch_size', 3, 'height', 'width']);
  g.initializer('down.weight', randn(latentChannels * 3 * vaeScale * vaeScale, 0.1), [latentChannels, 3, vaeScale, vaeScale]);
  g.initializer('down.bias', randn(latentChannels, 0.05), [latentChannels]);
  g.node('Conv', ['sample', 'down.weight', 'down.bias'], ['latent_sample'], { kernel_shape: [vaeScale, vaeScale], strides: [vaeScale, vaeScale] });
  g.output('latent_sample', 'float32', ['batch_size', latentChannels, 'height_latent', 'width_latent']);
  return g.toModelBytes();
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Writes the tiny model into `dir` (created if missing). */
export async function writeTinyStableDiffusion(dir: string, options: TinyStableDiffusionOptions = {}): Promise<void> {
  const { timestepType = 'int64', predictionType = 'epsilon', seed = 0, sampleSize = 8 } = options;
  const randn = normalSampler(seed);
  const { vocab, merges } = tinyVocab();
  const files: Record<string, string | Uint8Array> = {
    'model_index.json': json({
      _class_name: 'ORTStableDiffusionPipeline',
      _diffusers_version: '0.30.0',
      scheduler: ['diffusers', 'PNDMScheduler'],
      text_encoder: ['diffusers', 'OnnxRuntimeModel'],
      tokenizer: ['transformers', 'CLIPTokenizer'],
      unet: ['diffusers', 'OnnxRuntimeModel'],
      vae_decoder: ['diffusers', 'OnnxRuntimeModel'],
      vae_encoder: ['diffusers', 'OnnxRuntimeModel'],
    }),
    'scheduler/scheduler_config.json': json({
      _class_name: 'PNDMScheduler',
      beta_start: 0.00085,
      beta_end: 0.012,
      beta_schedule: 'scaled_linear',
      num_train_timesteps: 1000,
      prediction_type: predictionType,
      set_alpha_to_one: false,
      skip_prk_steps: true,
      steps_offset: 1,
      clip_sample: false,
    }),
    'tokenizer/vocab.json': json(vocab),
    'tokenizer/merges.txt': ['#version: 0.2', ...merges.map(([a, b]) => `${a} ${b}`)].join('\n') + '\n',
    'tokenizer/tokenizer_config.json': json({
      model_max_length: maxLength,
      bos_token: '<|startoftext|>',
      eos_token: '<|endoftext|>',
      pad_token: '<|endoftext|>',
      unk_token: '<|endoftext|>',
      do_lower_case: true,
    }),
    'tokenizer/special_tokens_map.json': json({
      bos_token: '<|startoftext|>',
      eos_token: '<|endoftext|>',
      pad_token: '<|endoftext|>',
      unk_token: '<|endoftext|>',
    }),
    // Models are built in a fixed order so the seeded weights are reproducible.
    'text_encoder/model.onnx': textEncoder(randn),
    'text_encoder/config.json': json({ hidden_size: hiddenSize, max_position_embeddings: maxLength, vocab_size: tinyVocabSize }),
    'unet/model.onnx': unet(randn, timestepType),
    'unet/config.json': json({ sample_size: sampleSize, in_channels: latentChannels, out_channels: latentChannels, cross_attention_dim: hiddenSize }),
    'vae_decoder/model.onnx': vaeDecoder(randn),
    'vae_decoder/config.json': json({ latent_channels: latentChannels, out_channels: 3, scaling_factor: 0.18215, block_out_channels: [8, 8, 8, 8] }),
    // After the decoder, so the other models' weights are those of a seed without the encoder.
    'vae_encoder/model.onnx': vaeEncoder(randn),
    'vae_encoder/config.json': json({ in_channels: 3, latent_channels: latentChannels, scaling_factor: 0.18215, block_out_channels: [8, 8, 8, 8] }),
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}
