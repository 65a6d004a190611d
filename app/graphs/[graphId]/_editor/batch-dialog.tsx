'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { Modal } from '../../../_components/modal';
import { useAccessStore } from './access-store';
import { batchFileTypes, batchSource, maxBatchItems, parseValueList, variableFields } from './batch-items';
import { useGraphStore } from './graph-store';
import { widgets } from './param-widgets';
import { initialValues, inputProblems, readRemembered, runInputs, type InputField } from './run-inputs';
import styles from './run-save.module.css';
import sharing from './sharing.module.css';
import { startBatch } from './start-batch';
import { isZipFile } from './upload-zip';
import { currentInputFields } from './use-run-inputs';

/** "Run batch…" next to Run: one run per picked image or pasted value; opens the batch's page once started. */
export function BatchButton({ graphId }: { graphId: string }) {
  const { canRun, runReason } = useAccessStore((s) => s.access);
  const takesInputs = useGraphStore((s) => s.ioNodes.some((n) => n.type === 'graphInput'));
  const [fields, setFields] = useState<InputField[]>([]);
  const [open, setOpen] = useState(false);
  const reason = !canRun ? runReason : !takesInputs ? 'A batch varies a graph input: add an Input node first' : undefined;
  return (
    <>
      <button
        type="button"
        className={styles.button}
        aria-haspopup="dialog"
        disabled={reason !== undefined}
        title={reason ?? 'Run the graph once per image or value'}
        onClick={() => {
          setFields(currentInputFields());
          setOpen(true);
        }}
      >
        Run batch…
      </button>
      <Modal open={open} onClose={() => setOpen(false)} title="Run batch" testId="batch-dialog" className={sharing.wideDialog}>
        <BatchForm graphId={graphId} fields={fields} onClose={() => setOpen(false)} />
      </Modal>
    </>
  );
}

/** The dialog's content (mounted afresh at each opening): what varies, its items, the other inputs. */
function BatchForm({ graphId, fields, onClose }: { graphId: string; fields: InputField[]; onClose(): void }) {
  const router = useRouter();
  const id = useId();
  const variable = variableFields(fields);
  const [varied, setVaried] = useState(variable[0]?.input.name ?? '');
  const [files, setFiles] = useState<File[]>([]);
  const [text, setText] = useState('');
  const [values, setValues] = useState<Record<string, unknown>>(() => initialValues(fields, readRemembered(graphId)));
  const [problem, setProblem] = useState<string>();
  const [progress, setProgress] = useState<string>();
  const [started, setStarted] = useState<{ batchId: string; total: number }>();
  const field = variable.find((f) => f.input.name === varied);
  const source = field ? batchSource(field) : undefined;
  const others = fields.filter((f) => f.input.name !== varied);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!field || progress) return;
    const list = source === 'values' ? parseValueList(field.input.kind, text) : undefined;
    // A ZIP's images are counted by the server once it is unpacked; here it is one file.
    const count = list ? list.values.length : files.length;
    const otherProblems = Object.values(inputProblems(others, values));
    const why = list?.problem ?? (count === 0 ? (source === 'images' ? 'Pick at least one image' : 'Enter at least one value') : count > maxBatchItems ? `At most ${maxBatchItems} items a batch` : otherProblems[0]);
    setProblem(why);
    if (why) return;
    try {
      const batch = await startBatch({
        graphId,
        varied,
        source: list ? { values: list.values } : { files },
        others: runInputs(others, values),
        onProgress: setProgress,
      });
      // Unsaved changes ran with the batch but live only on this canvas: then the page stays, with a link.
      if (useGraphStore.getState().dirty) setStarted(batch);
      else router.push(`/batches/${encodeURIComponent(batch.batchId)}`);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setProgress(undefined);
    }
  }

  return (
    <>
      {variable.length === 0 ? (
        <p>This graph has no image, number or text input to vary.</p>
      ) : started ? (
        <p role="status">
          Started a batch of {started.total}.{' '}
          <Link href={`/batches/${encodeURIComponent(started.batchId)}`} target="_blank">
            Open the batch
          </Link>{' '}
          (in a new tab: this canvas keeps its unsaved changes).
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          <p className={sharing.muted}>One run per item; every run uses the same values for the other inputs. The runs spread over the workers.</p>
          <div className={styles.field}>
            <label htmlFor={`${id}-vary`}>Vary</label>
            <select id={`${id}-vary`} className={styles.select} value={varied} onChange={(e) => setVaried(e.target.value)}>
              {variable.map((f) => (
                <option key={f.input.name} value={f.input.name}>
                  {f.input.name} ({f.input.kind})
                </option>
              ))}
            </select>
          </div>
          {source === 'images' ? (
            <div className={styles.field}>
              <label htmlFor={`${id}-files`}>Images for {varied} (one run each)</label>
              <input
                id={`${id}-files`}
                type="file"
                accept={batchFileTypes}
                multiple
                aria-describedby={`${id}-files-hint`}
                onChange={(e) => setFiles([...(e.target.files ?? [])])}
              />
              <span id={`${id}-files-hint`} className={sharing.muted}>
                PNG, JPEG, WebP, GIF, TIFF or AVIF files, or ZIPs of them (unpacked on the server: one run per image inside).
              </span>
              {files.length > 0 ? (
                <ul className={sharing.files} aria-label="Picked images">
                  {files.map((f, i) => (
                    <li key={`${f.name}-${i}`}>{isZipFile(f) ? `${f.name} (ZIP: one run per image in it)` : f.name}</li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : (
            <div className={styles.field}>
              <label htmlFor={`${id}-values`}>Values for {varied}, one per line</label>
              <textarea id={`${id}-values`} className={sharing.textarea} value={text} onChange={(e) => setText(e.target.value)} />
            </div>
          )}
          {others.length > 0 ? (
            <fieldset className={sharing.fieldset}>
              <legend>Other inputs (the same for every run)</legend>
              {others.map((f) => {
                const Widget = widgets[f.spec.kind];
                return (
                  <div key={f.input.name} className={sharing.row} data-input={f.input.name}>
                    <span className={sharing.grow}>
                      {f.input.name} <span className={sharing.muted}>({f.input.kind}{f.needsValue ? ', required' : ''})</span>
                    </span>
                    <Widget spec={f.spec} value={values[f.input.name]} invalid={false} onChange={(v) => setValues((s) => ({ ...s, [f.input.name]: v }))} reportError={setProblem} />
                  </div>
                );
              })}
            </fieldset>
          ) : null}
          {problem ? (
            <p role="alert" className={sharing.problem}>
              {problem}
            </p>
          ) : null}
          <p role="status" className={sharing.muted}>
            {progress ?? ''}
          </p>
          <div className={styles.actions}>
            <button type="button" className={styles.button} onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className={styles.primary} disabled={progress !== undefined}>
              {source === 'images' && files.length > 0 && !files.some(isZipFile) ? `Run ${files.length} ${files.length === 1 ? 'image' : 'images'}` : 'Run batch'}
            </button>
          </div>
        </form>
      )}
    </>
  );
}
