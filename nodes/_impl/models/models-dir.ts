import { resolve, join } from 'node:path';

/** Kinds of model, each a subfolder of the models directory (like ComfyUI's models/ folders). */
export const modelKinds = ['style', 'ocr', 'diffusion', 'classifier'] as const;
export type ModelKind = (typeof modelKinds)[number];

/** A model's file or folder name: no path separators, no leading dot. */
export const modelNamePattern = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

/** PIXELWIRE_MODELS_DIR, default ./models. */
export function modelsDir(env: Record<string, string | undefined> = process.env): string {
  return resolve(env.PIXELWIRE_MODELS_DIR ?? 'models');
}

/** Path of a model file of a kind; the name may not leave its folder. */
export function modelPath(kind: ModelKind, file: string, env: Record<string, string | undefined> = process.env): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(file) || file.startsWith('.')) throw new RangeError(`invalid model file name "${file}"`);
  return join(modelsDir(env), kind, file);
}
