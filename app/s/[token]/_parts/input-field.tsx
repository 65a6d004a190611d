'use client';
import { useId, useState } from 'react';
import ui from '../../../_components/ui.module.css';
import { imageLabel } from '../../../_components/image-label';
import { uploadImage, uploadedNames, uploadedPreviews } from '../../../graphs/[graphId]/_editor/upload';
import { isImageKind, isJsonKind, type AppInput } from './app-inputs';
import styles from './share.module.css';

interface Props {
  input: AppInput;
  value: unknown;
  problem: string | undefined;
  disabled: boolean;
  onChange(value: unknown): void;
  onProblem(message: string): void;
}

/** One declared input as a labelled form field of its kind: an image upload, a number, text, a checkbox or JSON. */
export function InputField({ input, value, problem, disabled, onChange, onProblem }: Props) {
  const id = useId();
  const describedBy = [input.description ? `${id}-hint` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, 'aria-invalid': problem ? true : undefined, 'aria-describedby': describedBy, disabled };
  const needed = input.required && input.default === undefined;
  return (
    <div className={ui.field} data-input={input.name}>
      <label htmlFor={id}>
        {input.name}
        {needed ? (
          <span className={styles.required} aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}{' '}
        <span className="muted" style={{ fontWeight: 400 }}>
          ({input.kind}
          {needed ? ', required' : ''})
        </span>
      </label>
      {isImageKind(input.kind) ? (
        <ImageUpload common={common} value={value} onChange={onChange} onProblem={onProblem} name={input.name} />
      ) : input.kind === 'number' ? (
        <input {...common} type="number" step="any" className={ui.input} value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value)} />
      ) : input.kind === 'boolean' ? (
        <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} style={{ width: '1.2rem', height: '1.2rem' }} />
      ) : isJsonKind(input.kind) ? (
        <textarea {...common} className={ui.input} rows={4} spellCheck={false} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type="text" className={ui.input} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} />
      )}
      {input.description ? (
        <span id={`${id}-hint`} className={ui.hint}>
          {input.description}
        </span>
      ) : null}
      {problem ? (
        <span id={`${id}-problem`} role="alert" className={styles.required}>
          {problem}
        </span>
      ) : null}
    </div>
  );
}

function ImageUpload({
  common,
  value,
  name,
  onChange,
  onProblem,
}: {
  common: { id: string; disabled: boolean; 'aria-invalid'?: boolean; 'aria-describedby'?: string };
  value: unknown;
  name: string;
  onChange(value: unknown): void;
  onProblem(message: string): void;
}) {
  const [busy, setBusy] = useState(false);
  const sha = typeof value === 'string' ? value : undefined;
  const preview = sha ? uploadedPreviews.get(sha) : undefined;
  return (
    <div className={ui.row}>
      {/* eslint-disable-next-line @next/next/no-img-element -- a local object URL of the picked file */}
      {preview ? <img className={styles.thumb} src={preview} alt={`${name}: the uploaded image`} /> : null}
      <input
        {...common}
        type="file"
        accept="image/*"
        disabled={common.disabled || busy}
        onChange={async (e) => {
          const file = e.target.files?.[0];
          if (!file) return;
          setBusy(true);
          try {
            onChange(await uploadImage(file));
          } catch (error) {
            onChange(undefined);
            onProblem(`Upload failed: ${error instanceof Error ? error.message : String(error)}`);
          } finally {
            setBusy(false);
          }
        }}
      />
      <span className="muted" role="status">
        {busy ? 'Uploading…' : sha ? `Uploaded: ${imageLabel(sha, uploadedNames.get(sha))}` : ''}
      </span>
    </div>
  );
}
