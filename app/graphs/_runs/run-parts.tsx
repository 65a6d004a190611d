'use client';
import { fileUrl } from '../../_components/format';
import ui from '../../_components/ui.module.css';
import styles from './runs.module.css';

/** A run's or node's status as a labelled badge (colour and words). */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={ui.status} data-status={status}>
      {status}
    </span>
  );
}

export interface ImageOutput {
  name: string;
  artifactId: string;
  width: number;
  height: number;
  previewId: string;
}
export interface ValueOutput {
  name: string;
  kind: string;
  value: unknown;
}

/** A run's recorded outputs split into images and other values (anything unexpected is left out), names in `order` first. */
export function splitOutputs(outputs: unknown, order: string[] = []): { images: ImageOutput[]; values: ValueOutput[] } {
  const images: ImageOutput[] = [];
  const values: ValueOutput[] = [];
  if (!outputs || typeof outputs !== 'object') return { images, values };
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  const entries = Object.entries(outputs as Record<string, unknown>).sort(([a], [b]) => rank(a) - rank(b));
  for (const [name, raw] of entries) {
    if (!raw || typeof raw !== 'object') continue;
    const out = raw as Record<string, unknown>;
    const preview = out.preview as { artifactId?: unknown } | undefined;
    if (typeof out.artifactId === 'string' && typeof preview?.artifactId === 'string') {
      images.push({ name, artifactId: out.artifactId, width: Number(out.width), height: Number(out.height), previewId: preview.artifactId });
    } else if ('value' in out) {
      values.push({ name, kind: String(out.kind ?? 'json'), value: out.value });
    }
  }
  return { images, values };
}

export interface RunProblem {
  nodeId: string | null;
  code: string;
  message: string;
  where?: string;
}

/** The problems recorded on a run: `{ errors: [...] }` from the engine, or one `{ code, message }` (e.g. interrupted). */
export function runProblems(error: unknown): RunProblem[] {
  if (!error || typeof error !== 'object') return [];
  const record = error as Record<string, unknown>;
  const list = Array.isArray(record.errors) ? record.errors : [record];
  return list
    .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object' && typeof (e as Record<string, unknown>).message === 'string')
    .map((e) => ({
      nodeId: typeof e.nodeId === 'string' ? e.nodeId : null,
      code: String(e.code ?? 'error'),
      message: String(e.message),
      where: [e.port && `port ${String(e.port)}`, e.param && `param ${String(e.param)}`, e.input && `input ${String(e.input)}`].filter(Boolean).join(', ') || undefined,
    }));
}

/** A preview that links to the full PNG. */
export function OutputImage({ runId, image, caption, alt }: { runId: string; image: ImageOutput; caption?: string; alt: string }) {
  return (
    <figure className={styles.figure}>
      <a href={fileUrl(runId, image.artifactId)} target="_blank" rel="noreferrer" className={styles.figureLink}>
        {/* eslint-disable-next-line @next/next/no-img-element -- previews come from the API */}
        <img src={fileUrl(runId, image.previewId)} alt={alt} loading="lazy" />
      </a>
      <figcaption>
        <strong>{image.name}</strong>{' '}
        <span className="muted">
          {image.width}×{image.height} · PNG
        </span>
        {caption && <div className="muted">{caption}</div>}
      </figcaption>
    </figure>
  );
}
