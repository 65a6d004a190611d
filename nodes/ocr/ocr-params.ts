import { z } from 'zod';

/** Params shared by the OCR nodes, one definition each. */
export const ocrParams = {
  maxSide: z
    .number()
    .int()
    .min(64)
    .max(8192)
    .default(1536)
    .describe('Detection runs on a copy whose longest side is at most this many pixels; boxes are mapped back'),
  boxThreshold: z.number().min(0).max(1).default(0.6).describe('Drop text regions whose mean text probability is lower'),
  unclipRatio: z.number().min(0.5).max(4).default(1.5).describe('How far each detected region is grown around its text'),
  classifyAngle: z.boolean().default(true).describe('Turn lines the angle classifier finds upside down'),
  lookalikes: z
    .boolean()
    .default(true)
    .describe('Read look-alike characters (0/O/o, 1/l/I, 2/Z, 5/S/s, 8/B) as letters or digits to fit the characters around them'),
  minConfidence: z.number().min(0).max(1).default(0.5).describe('Drop lines read with a lower mean character confidence'),
};
