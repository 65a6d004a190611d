'use client';
import Link from 'next/link';
import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../../_components/errors';
import { FailureAlert } from '../../../_components/failure-alert';
import ui from '../../../_components/ui.module.css';
import { trpc } from '../../../_lib/trpc';
import { BatchProgress } from '../../../batches/[batchId]/_parts/batch-progress';
import { useBatch } from '../../../batches/[batchId]/_parts/use-batch';
import { uploadBatchFiles } from '../../../graphs/[graphId]/_editor/batch-files';
import { batchFileTypes, batchItems, parseValueList } from '../../../graphs/[graphId]/_editor/batch-items';
import { isZipFile } from '../../../graphs/[graphId]/_editor/upload-zip';
import { formInputs, initialFormValues, serverInputProblems } from './app-inputs';
import { InputField } from './input-field';
import { batchCountProblem, variableInputs } from './link-batch-items';
import type { OpenedRun } from './shared-link';
import styles from './share.module.css';

interface Props {
  token: string;
  share: OpenedRun;
  /** Runs the link still allows the caller this hour. */
  left: number;
  onStarted(count: number): void;
}

/**
 * "Run a batch" on a run link's page: one run per picked image (a ZIP is unpacked on the server into its images) or
 * per line of values, with the other inputs the same for every run; every item counts as a run of the link. Then
 * the batch's progress and results here, and on its own page.
 */
export function LinkBatch({ token, share, left, onStarted }: Props) {
  const id = useId();
  const variable = variableInputs(share.inputs);
  const [varied, setVaried] = useState(variable[0]?.name ?? '');
  const [files, setFiles] = useState<File[]>([]);
  const [text, setText] = useState('');
  const [values, setValues] = useState<Record<string, unknown>>(() => initialFormValues(share.inputs));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string>();
  const [progress, setProgress] = useState<string>();
  const [batchId, setBatchId] = useState<string>();
  // The form is made when opened, so that the page holds one field per input until then.
  const [open, setOpen] = useState(false);
  const field = variable.find((v) => v.name === varied);
  const others = share.inputs.filter((i) => i.name !== varied);
  if (!field) return null;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!field || progress) return;
    const list = field.source === 'values' ? parseValueList(field.kind, text) : undefined;
    const other = formInputs(others, values);
    setProblems(other.problems);
    // Before the upload a ZIP counts as one: its images are counted by the server.
    const why = list?.problem ?? batchCountProblem(list ? list.values.length : files.length, left, field.source) ?? Object.values(other.problems)[0];
    setProblem(why);
    if (why) return;
    try {
      const items = list ? list.values : await uploadBatchFiles(files, setProgress);
      setProgress(`Starting ${items.length} runs…`);
      const { batch } = await trpc.shares.runBatch.mutate({ token, items: batchItems(varied, items, other.inputs) });
      setBatchId(batch.id);
      onStarted(batch.total);
    } catch (error) {
      setProblems(serverInputProblems(error));
      setProblem(`Could not start the batch: ${errorMessage(error)}`);
    } finally {
      setProgress(undefined);
    }
  }

  return (
    <>
      <details className={`${ui.card} ${styles.section}`} data-testid="share-batch" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>Run a batch (several {field.source === 'images' ? 'images' : 'values'} at once)</summary>
        {open ? (
          <form className={styles.form} onSubmit={submit} noValidate aria-label={`Run a batch of ${share.name}`}>
            <p className="muted">
              One run per item, the other inputs the same for every run. Each item counts as a run: this link allows you {left} more{' '}
              {left === 1 ? 'run' : 'runs'} this hour.
            </p>
            {variable.length > 1 ? (
              <div className={ui.field}>
                <label htmlFor={`${id}-vary`}>Vary</label>
                <select id={`${id}-vary`} className={ui.input} value={varied} onChange={(e) => setVaried(e.target.value)}>
                  {variable.map((v) => (
                    <option key={v.name} value={v.name}>
                      {v.name} ({v.kind})
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            {field.source === 'images' ? (
              <div className={ui.field}>
                <label htmlFor={`${id}-files`}>Images for {varied} (one run each)</label>
                <input id={`${id}-files`} type="file" accept={batchFileTypes} multiple aria-describedby={`${id}-files-hint`} onChange={(e) => setFiles([...(e.target.files ?? [])])} />
                <span id={`${id}-files-hint`} className={ui.hint}>
                  Images, or ZIPs of images (unpacked on the server: one run per image inside).
                </span>
                {files.length > 0 ? (
                  <ul aria-label="Picked files">
                    {files.map((f, i) => (
                      <li key={`${f.name}-${i}`}>{isZipFile(f) ? `${f.name} (ZIP: one run per image in it)` : f.name}</li>
                    ))}
                  </ul>
                ) : null}
              </div>
            ) : (
              <div className={ui.field}>
                <label htmlFor={`${id}-values`}>Values for {varied}, one per line</label>
                <textarea id={`${id}-values`} className={ui.input} rows={5} value={text} onChange={(e) => setText(e.target.value)} />
              </div>
            )}
            {others.map((input) => (
              <InputField
                key={input.name}
                input={input}
                value={values[input.name]}
                problem={problems[input.name]}
                disabled={progress !== undefined}
                onChange={(v) => {
                  setValues((s) => ({ ...s, [input.name]: v }));
                  setProblems(({ [input.name]: _gone, ...rest }) => rest);
                }}
                onProblem={(message) => setProblems((p) => ({ ...p, [input.name]: message }))}
              />
            ))}
            <FailureAlert failure={problem} />
            <p role="status" className="muted">
              {progress ?? ''}
            </p>
            <div className={ui.row}>
              <button type="submit" className={ui.primary} disabled={progress !== undefined} aria-busy={progress !== undefined}>
                Run batch
              </button>
            </div>
          </form>
        ) : null}
      </details>
      {batchId ? <LinkBatchResult key={batchId} batchId={batchId} /> : null}
    </>
  );
}

/** The started batch, followed here like on its own page (which opens in a new tab, keeping this form). */
function LinkBatchResult({ batchId }: { batchId: string }) {
  const followed = useBatch(batchId);
  return (
    <section className={styles.section} aria-labelledby={`batch-${batchId}`}>
      <h2 id={`batch-${batchId}`}>Batch</h2>
      <p>
        <Link href={`/batches/${encodeURIComponent(batchId)}`} target="_blank">
          Open the batch page
        </Link>
      </p>
      {followed.batch ? <BatchProgress {...followed} batch={followed.batch} /> : <FailureAlert failure={followed.failure} />}
    </section>
  );
}
