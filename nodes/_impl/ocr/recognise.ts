import * as ort from 'onnxruntime-node';
import type { PixelImage } from '../pixel-image';
import { writeStrip } from './crop-rotate';

const H = 48;
/** The model's training width for a 48 px line. */
const minWidth = 320;

export interface Recognised {
  text: string;
  /** Mean of the kept characters' probabilities; 0 for an empty line. */
  confidence: number;
}

/** CTC greedy decoding: best class per step, repeats merged, blanks (class 0) dropped. */
export function ctcDecode(probs: Float32Array, offset: number, steps: number, classes: number, dictionary: readonly string[]): Recognised {
  let text = '';
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const base = offset + t * classes;
    let best = 0;
    let bestP = probs[base]!;
    for (let k = 1; k < classes; k++) {
      const p = probs[base + k]!;
      if (p > bestP) {
        bestP = p;
        best = k;
      }
    }
    if (best !== 0 && best !== previous) {
      text += dictionary[best] ?? '';
      sum += bestP;
      kept++;
    }
    previous = best;
  }
  return { text, confidence: kept > 0 ? sum / kept : 0 };
}

/**
 * Recognises text strips: each resized to height 48 keeping its aspect, strips of
 * similar width batched together and padded to the batch's widest.
 */
export async function recogniseStrips(
  session: ort.InferenceSession,
  strips: PixelImage[],
  dictionary: readonly string[],
  options: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<Recognised[]> {
  const batchSize = options.batchSize ?? 8;
  const widthOf = (s: PixelImage) => Math.max(1, Math.ceil((H * s.width) / s.height));
  const order = strips.map((_, i) => i).sort((a, b) => widthOf(strips[a]!) - widthOf(strips[b]!));
  const results: Recognised[] = new Array(strips.length);
  for (let start = 0; start < order.length; start += batchSize) {
    options.signal?.throwIfAborted();
    const ids = order.slice(start, start + batchSize);
    const padWidth = Math.max(minWidth, ...ids.map((i) => widthOf(strips[i]!)));
    const size = 3 * H * padWidth;
    const tensor = new Float32Array(ids.length * size);
    ids.forEach((id, i) => writeStrip(strips[id]!, H, widthOf(strips[id]!), padWidth, tensor, i * size));
    const result = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', tensor, [ids.length, 3, H, padWidth]) });
    const output = result[session.outputNames[0]!]!;
    const [, steps = 0, classes = 0] = output.dims;
    const probs = output.data as Float32Array;
    ids.forEach((id, i) => {
      results[id] = ctcDecode(probs, i * steps * classes, steps, classes, dictionary);
    });
  }
  return results;
}
