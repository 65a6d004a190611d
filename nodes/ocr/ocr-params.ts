import { z } from 'zod';
import { detectionModes } from '../_impl/ocr/detection-mode';

/** Params shared by the OCR nodes, one definition each. */
export const ocrParams = {
  maxSide: z
    .number()
    .int()
    .min(64)
    .max(8192)
    .default(1536)
    .describe('Detection runs on a copy whose longest side is at most this many pixels (or in tiles of this size); boxes are mapped back')
    .meta({ title: 'Longest side' }),
  detection: z
    .enum(detectionModes)
    .default('auto')
    .describe('fit: one scaled copy; tiles: overlapping tiles at full resolution, so small text on large images stays readable; auto: tiles when the longest side is over twice maxSide'),
  boxThreshold: z.number().min(0).max(1).default(0.6).describe('Drop text regions whose mean text probability is lower'),
  unclipRatio: z.number().min(0.5).max(4).default(1.5).describe('How far each detected region is grown around its text').meta({ title: 'Box growth' }),
  classifyAngle: z.boolean().default(true).describe('Turn lines the angle classifier finds upside down').meta({ title: 'Fix upside down' }),
  lookalikes: z
    .boolean()
    .default(true)
    .describe('Read look-alike characters (0/O/o, 1/l/I, 2/Z, 5/S/s, 8/B) as letters or digits to fit the characters around them')
    .meta({ title: 'Fix look-alikes' }),
  minConfidence: z.number().min(0).max(1).default(0.5).describe('Drop lines read with a lower mean character confidence'),
};
