import * as ort from 'onnxruntime-node';
import type { Box } from '../../ports';
import type { NodeContext } from '../../context';
import { toRgb, type PixelImage } from '../pixel-image';
import { classifyAngles } from './classify';
import { cropQuad } from './crop-rotate';
import { dbPostprocess, defaultDbOptions, type DbOptions } from './db-postprocess';
import { detectPreprocess } from './detect-preprocess';
import { bounds, minAreaRect, rectCorners, type Point, type Quad } from './geometry';
import { loadDictionary, loadOcrModel } from './models';
import { readingOrder } from './reading-order';
import { recogniseStrips } from './recognise';

export interface TextRegion {
  quad: Quad;
  score: number;
}

export interface TextLine {
  text: string;
  confidence: number;
  quad: Quad;
}

type Progress = Pick<NodeContext, 'signal' | 'progress'>;

/** RGB of an image, converted once when detection and recognition both need it. */
const rgbCache = new WeakMap<PixelImage, PixelImage>();
function rgbOf(image: PixelImage): PixelImage {
  let rgb = rgbCache.get(image);
  if (!rgb) {
    rgb = toRgb(image);
    rgbCache.set(image, rgb);
  }
  return rgb;
}

/** Finds text regions; the detector sees a copy whose longest side is at most maxSide. Reading order. */
export async function detectText(image: PixelImage, options: { maxSide: number; db?: Partial<DbOptions> }, ctx: Progress): Promise<TextRegion[]> {
  const model = await loadOcrModel('detect');
  ctx.progress(0.05, `onnxruntime: ${model.provider}`);
  ctx.signal.throwIfAborted();
  const rgb = rgbOf(image);
  const input = await detectPreprocess(rgb, options.maxSide);
  ctx.signal.throwIfAborted();
  const { session } = model;
  const result = await session.run({
    [session.inputNames[0]!]: new ort.Tensor('float32', input.data, [1, 3, input.height, input.width]),
  });
  ctx.signal.throwIfAborted();
  const map = result[session.outputNames[0]!]!;
  const [, , mh = input.height, mw = input.width] = map.dims;
  const regions = dbPostprocess(map.data as Float32Array, mw, mh, image.width, image.height, { ...defaultDbOptions, ...options.db });
  ctx.progress(0.4, `${regions.length} text regions`);
  return readingOrder(regions, (r) => r.quad);
}

/** Reads the text in each region from the full-resolution image; lines below minConfidence or empty are dropped. */
export async function recogniseRegions(
  image: PixelImage,
  regions: readonly { quad: Quad }[],
  options: { classifyAngle: boolean; minConfidence: number; lookalikes: boolean },
  ctx: Progress,
): Promise<TextLine[]> {
  if (regions.length === 0) return [];
  const [rec, dictionary] = await Promise.all([loadOcrModel('recognise'), loadDictionary()]);
  ctx.progress(0.45, `onnxruntime: ${rec.provider}`);
  const rgb = rgbOf(image);
  let strips = regions.map((r) => cropQuad(rgb, r.quad));
  ctx.signal.throwIfAborted();
  if (options.classifyAngle) {
    const cls = await loadOcrModel('classify');
    strips = await classifyAngles(cls.session, strips, { signal: ctx.signal });
    ctx.progress(0.55, 'angles classified');
  }
  const read = await recogniseStrips(rec.session, strips, dictionary, { signal: ctx.signal, lookalikes: options.lookalikes });
  ctx.progress(0.95, 'recognised');
  return regions
    .map((r, i) => ({ text: read[i]!.text.trim(), confidence: read[i]!.confidence, quad: r.quad }))
    .filter((l) => l.text.length > 0 && l.confidence >= options.minConfidence);
}

/** A quad for a box: its polygon's minimum-area rectangle, or its own rectangle. */
export function quadOfBox(box: Box): Quad {
  const points: Point[] =
    box.polygon && box.polygon.length >= 3
      ? box.polygon.map(([x, y]): Point => [x, y])
      : [
          [box.x, box.y],
          [box.x + box.width, box.y],
          [box.x + box.width, box.y + box.height],
          [box.x, box.y + box.height],
        ];
  return rectCorners(minAreaRect(points));
}

/** A boxes-port box for a quad: its axis-aligned bounds plus the polygon. */
export function boxOfQuad(quad: Quad, extra: { score?: number; label?: string } = {}): Box {
  const round = (v: number) => Math.round(v * 100) / 100;
  const b = bounds(quad);
  return {
    x: round(b.x),
    y: round(b.y),
    width: round(b.width),
    height: round(b.height),
    ...extra,
    polygon: quad.map(([x, y]): [number, number] => [round(x), round(y)]),
  };
}

