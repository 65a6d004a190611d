import * as ort from 'onnxruntime-node';
import type { PixelImage } from '../pixel-image';
import { rotateHalf, writeStrip } from './crop-rotate';
import type { ModelSession } from '../models/threaded-session';

const H = 48;
const W = 192;

/**
 * Angle classifier (0° / 180°) over strips, in batches. Strips judged upside down
 * with at least `threshold` confidence are turned half a turn.
 */
export async function classifyAngles(
  session: ModelSession,
  strips: PixelImage[],
  options: { threshold?: number; batchSize?: number; signal?: AbortSignal } = {},
): Promise<PixelImage[]> {
  const threshold = options.threshold ?? 0.9;
  const batchSize = options.batchSize ?? 16;
  const out = [...strips];
  for (let start = 0; start < strips.length; start += batchSize) {
    options.signal?.throwIfAborted();
    const batch = strips.slice(start, start + batchSize);
    const tensor = new Float32Array(batch.length * 3 * H * W);
    batch.forEach((s, i) => {
      const width = Math.min(W, Math.max(1, Math.ceil((H * s.width) / s.height)));
      writeStrip(s, H, width, W, tensor, i * 3 * H * W);
    });
    const result = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', tensor, [batch.length, 3, H, W]) });
    const probs = result[session.outputNames[0]!]!.data as Float32Array;
    batch.forEach((s, i) => {
      if (probs[i * 2 + 1]! > probs[i * 2]! && probs[i * 2 + 1]! >= threshold) out[start + i] = rotateHalf(s);
    });
  }
  return out;
}
