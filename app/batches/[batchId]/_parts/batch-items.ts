import { imageLabel, isSha256 } from '../../../_components/image-label';
import { runProblems, splitOutputs } from '../../../graphs/_runs/run-parts';

export interface BatchRun {
  id: string;
  status: string;
  inputs: unknown;
  outputs: unknown;
  error: unknown;
}

/** What the gallery shows of an item: its first image output, or its first value; for a failure, its problems. */
export function itemView(run: BatchRun) {
  const { images, values } = splitOutputs(run.outputs);
  const image = images[0];
  const value = values[0];
  return {
    image,
    value: image ? undefined : value,
    problems: runProblems(run.error).map((p) => `${p.nodeId ? `${p.nodeId}: ` : ''}${p.message}`),
  };
}

/** The images an item's inputs name by hash, each once. */
export function inputImageHashes(inputs: unknown): string[] {
  if (!inputs || typeof inputs !== 'object') return [];
  return [...new Set(Object.values(inputs as Record<string, unknown>).filter(isSha256))];
}

/**
 * A short description of an item's inputs, e.g. `photo=cat.png, strength=0.4`: an image by its
 * file name when `nameOf` knows it, else by a short hash (`photo=image 3f2a9c1b7d4e…`).
 */
export function inputsText(inputs: unknown, nameOf: (sha256: string) => string | null | undefined = () => undefined): string {
  if (!inputs || typeof inputs !== 'object') return '';
  return Object.entries(inputs as Record<string, unknown>)
    .map(([name, value]) => {
      const text = typeof value === 'string' ? (isSha256(value) ? imageLabel(value, nameOf(value)) : value) : JSON.stringify(value);
      return `${name}=${text.length > 24 ? `${text.slice(0, 23)}…` : text}`;
    })
    .join(', ');
}

export const isDone = (batch: { done: number; total: number }) => batch.done >= batch.total;
