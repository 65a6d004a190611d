import * as ort from 'onnxruntime-node';
import type { Box } from '../../ports';
import type { NodeContext } from '../../context';
import sharp from 'sharp';
import { createImage, toRgb, type PixelImage } from '../pixel-image';
import { classifyAngles } from './classify';
import { cropQuad } from './crop-rotate';
import { dbPostprocess, defaultDbOptions, type DbOptions } from './db-postprocess';
import { detectPreprocess } from './detect-preprocess';
import type { DetectionMode } from './detection-mode';
import { bounds, minAreaRect, rectCorners, type Point, type Quad } from './geometry';
import { loadDictionary, loadOcrModel } from './models';
import { readingOrder } from './reading-order';
import { cropTile, mergeTiledRegions, placeRegions, tileGrid, type TiledRegion } from './tiles';
import { recogniseStrips } from './recognise';
import type { ModelSession } from '../models/threaded-session';

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

export interface DetectOptions {
  maxSide: number;
  mode?: DetectionMode;
  db?: Partial<DbOptions>;
}

/** Tiles share this fraction of their side, so a word cut by one seam is whole in the neighbour. */
const tileOverlap = 1 / 6;
/** Tiled detection runs at full resolution up to this many times maxSide; larger images are scaled to it first. */
const maxTiledScale = 4;

/** Finds text regions in reading order: on one copy whose longest side is at most maxSide, or in tiles (see DetectOptions). */
export async function detectText(image: PixelImage, options: DetectOptions, ctx: Progress): Promise<TextRegion[]> {
  const model = await loadOcrModel('detect');
  ctx.progress(0.05, `onnxruntime: ${model.provider}`);
  ctx.signal.throwIfAborted();
  const rgb = toRgb(image);
  const db = { ...defaultDbOptions, ...options.db };
  const longest = Math.max(rgb.width, rgb.height);
  const mode = options.mode ?? 'auto';
  const tiled = mode === 'tiles' ? longest > options.maxSide : mode === 'auto' && longest > 2 * options.maxSide;
  let regions: TextRegion[];
  if (!tiled) {
    regions = await detectOnce(model.session, rgb, options.maxSide, db);
  } else {
    // Very large images are first brought to maxTiledScale × maxSide, then tiled at that resolution.
    const scale = Math.min(1, (maxTiledScale * options.maxSide) / longest);
    const work = scale < 1 ? await scaleRgb(rgb, scale) : rgb;
    const tiles = tileGrid(work.width, work.height, options.maxSide, Math.round(options.maxSide * tileOverlap));
    const found: TiledRegion[] = [];
    for (const [i, tile] of tiles.entries()) {
      ctx.signal.throwIfAborted();
      const inTile = await detectOnce(model.session, cropTile(work, tile), options.maxSide, db);
      found.push(...placeRegions(inTile, tile, work.width, work.height));
      ctx.progress(0.05 + (0.35 * (i + 1)) / tiles.length, `tile ${i + 1}/${tiles.length}`);
    }
    regions = mergeTiledRegions(found).map((r) => ({ score: r.score, quad: r.quad.map(([x, y]): Point => [x / scale, y / scale]) as Quad }));
  }
  ctx.signal.throwIfAborted();
  ctx.progress(0.4, `${regions.length} text regions${tiled ? ' (tiled)' : ''}`);
  return readingOrder(regions, (r) => r.quad);
}

/** One detector pass over an RGB image scaled to at most maxSide; regions in the image's coordinates. */
async function detectOnce(session: ModelSession, rgb: PixelImage, maxSide: number, db: DbOptions): Promise<TextRegion[]> {
  const input = await detectPreprocess(rgb, maxSide);
  const result = await session.run({
    [session.inputNames[0]!]: new ort.Tensor('float32', input.data, [1, 3, input.height, input.width]),
  });
  const map = result[session.outputNames[0]!]!;
  const [, , mh = input.height, mw = input.width] = map.dims;
  return dbPostprocess(map.data as Float32Array, mw, mh, rgb.width, rgb.height, db);
}

async function scaleRgb(rgb: PixelImage, scale: number): Promise<PixelImage> {
  const width = Math.max(1, Math.round(rgb.width * scale));
  const height = Math.max(1, Math.round(rgb.height * scale));
  const data = await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 }, limitInputPixels: false })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  return createImage(width, height, 3, data);
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

