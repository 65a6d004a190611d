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

/** A short description of an item's inputs, e.g. `photo=3f2a…, strength=0.4`. */
export function inputsText(inputs: unknown): string {
  if (!inputs || typeof inputs !== 'object') return '';
  return Object.entries(inputs as Record<string, unknown>)
    .map(([name, value]) => {
      const text = typeof value === 'string' ? (/^[0-9a-f]{64}$/.test(value) ? `${value.slice(0, 8)}…` : value) : JSON.stringify(value);
      return `${name}=${text.length > 24 ? `${text.slice(0, 23)}…` : text}`;
    })
    .join(', ');
}

export const isDone = (batch: { done: number; total: number }) => batch.done >= batch.total;
