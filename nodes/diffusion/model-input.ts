import { z } from 'zod';
import { NodeError } from '../errors';

const zModelRef = z.object({ kind: z.literal('diffusion.model'), name: z.string() });

/** The model name from an optional `model` json input (diffusion.load-model's output), else the fallback. */
export function modelName(input: unknown, fallback: string): string {
  if (input === undefined) return fallback;
  const parsed = zModelRef.safeParse(input);
  if (!parsed.success) throw new NodeError('invalid_input', 'expected the output of diffusion.load-model', { port: 'model' });
  return parsed.data.name;
}
