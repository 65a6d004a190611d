'use client';
import { useState } from 'react';
import { fileUrl } from '../../_components/format';
import { imageLabel, isSha256 } from '../../_components/image-label';
import { useUploadInfo } from '../[graphId]/_editor/upload-info-store';
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

export interface InputRow {
  name: string;
  /** The declared kind; undefined for a name the graph version does not declare. */
  kind: string | undefined;
  value: unknown;
  /** The run was given no value: the declared default applied. */
  defaulted: boolean;
}

/**
 * The graph inputs of a run, one row each: what the caller gave (`run.inputs`), in the
 * version's order of declared inputs, and the defaults of declared inputs it left out.
 */
export function runInputRows(given: unknown, declared: readonly { name: string; kind: string; default?: unknown }[]): InputRow[] {
  const values = given && typeof given === 'object' && !Array.isArray(given) ? Object.entries(given) : [];
  const byName = new Map(values);
  const rows: InputRow[] = [];
  for (const input of declared) {
    if (byName.has(input.name)) rows.push({ name: input.name, kind: input.kind, value: byName.get(input.name), defaulted: false });
    else if (input.default !== undefined) rows.push({ name: input.name, kind: input.kind, value: input.default, defaulted: true });
  }
  for (const [name, value] of values) if (!declared.some((d) => d.name === name)) rows.push({ name, kind: undefined, value, defaulted: false });
  return rows;
}

/** One input's value: an image input names the upload it read, anything else is shown as JSON text. */
export function InputValue({ row }: { row: InputRow }) {
  if ((row.kind === 'image' || row.kind === 'mask') && typeof row.value === 'string') return <ImageInput value={row.value} />;
  return (
    <>
      <code>{typeof row.value === 'string' ? row.value : JSON.stringify(row.value)}</code>
      {row.defaulted && <span className="muted"> (default)</span>}
    </>
  );
}

/**
 * An image input by file name and thumbnail (artifacts.content and /api/uploads/:sha256: only for
 * a viewer who may use the image), else `uploaded image` and a short hash; the hash on hover.
 */
function ImageInput({ value }: { value: string }) {
  const sha = isSha256(value) ? value : '';
  const info = useUploadInfo(sha);
  const [broken, setBroken] = useState(false);
  const ready = info?.status === 'ready' ? info : undefined;
  return (
    <span className={styles.imageInput}>
      {/* eslint-disable-next-line @next/next/no-img-element -- the API's thumbnail of the upload */}
      {sha && ready && !broken && <img className={styles.inputThumb} src={`/api/uploads/${sha}`} alt="" onError={() => setBroken(true)} />}
      <span title={value} data-testid="run-input-image">
        {imageLabel(value, ready?.fileName, 'uploaded image')}
      </span>
    </span>
  );
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
        <div>
          <a href={fileUrl(runId, image.artifactId)} download={`${image.name}.png`} aria-label={`Download ${image.name}.png`}>
            Download
          </a>
        </div>
      </figcaption>
    </figure>
  );
}
