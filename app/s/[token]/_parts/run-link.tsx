'use client';
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../../_components/errors';
import { FailureAlert } from '../../../_components/failure-alert';
import { fileUrl } from '../../../_components/format';
import ui from '../../../_components/ui.module.css';
import { trpc } from '../../../_lib/trpc';
import { formInputs, initialFormValues, serverInputProblems } from './app-inputs';
import { InputField } from './input-field';
import { LinkBatch } from './link-batch';
import { RunProgressView } from './run-progress-view';
import type { OpenedRun } from './shared-link';
import styles from './share.module.css';

/** A run link (app mode): a form from the graph's declared inputs, Run, live progress, then the outputs; below, Run a batch. */
export function RunLink({ token, share }: { token: string; share: OpenedRun }) {
  const [values, setValues] = useState<Record<string, unknown>>(() => initialFormValues(share.inputs));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string>();
  const [starting, setStarting] = useState(false);
  const [runId, setRunId] = useState<string>();
  const [running, setRunning] = useState(false);
  /** Runs the link still allows this person this hour (each batch item counts). */
  const [left, setLeft] = useState(share.limit.left);

  const set = (name: string, value: unknown) => {
    setValues((v) => ({ ...v, [name]: value }));
    setProblems(({ [name]: _gone, ...rest }) => rest);
  };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFailure(undefined);
    const { inputs, problems: found } = formInputs(share.inputs, values);
    setProblems(found);
    if (Object.keys(found).length > 0) {
      const first = share.inputs.find((i) => found[i.name]);
      if (first) event.currentTarget.querySelector<HTMLElement>(`[data-input="${CSS.escape(first.name)}"] :is(input, textarea)`)?.focus();
      return;
    }
    setStarting(true);
    try {
      const run = await trpc.shares.run.mutate({ token, inputs });
      setRunId(run.id);
      setRunning(true);
      setLeft((n) => Math.max(0, n - 1));
    } catch (error) {
      const named = serverInputProblems(error);
      setProblems(named);
      setFailure(`Could not start the run: ${errorMessage(error)}`);
    } finally {
      setStarting(false);
    }
  }

  return (
    <article aria-labelledby="share-title" data-testid="share-app">
      <h1 id="share-title">{share.name}</h1>
      <p className={styles.meta}>
        Version {share.version}
        {share.description ? ` · ${share.description}` : ''}
      </p>
      <form className={`${ui.card} ${styles.form}`} onSubmit={submit} noValidate aria-label={`Run ${share.name}`}>
        {share.inputs.length === 0 ? <p className="muted">This graph takes no inputs: Run runs it as saved.</p> : null}
        {share.inputs.map((input) => (
          <InputField
            key={input.name}
            input={input}
            value={values[input.name]}
            problem={problems[input.name]}
            disabled={starting || running}
            onChange={(v) => set(input.name, v)}
            onProblem={(message) => setProblems((p) => ({ ...p, [input.name]: message }))}
          />
        ))}
        {share.inputs.some((i) => i.required && i.default === undefined) ? <p className={ui.hint}>* required</p> : null}
        <FailureAlert failure={failure} />
        <div className={ui.row}>
          <button type="submit" className={ui.primary} disabled={starting || running} aria-busy={starting}>
            {starting ? 'Starting…' : runId ? 'Run again' : 'Run'}
          </button>
        </div>
      </form>
      {runId ? (
        <section className={styles.section} aria-labelledby="share-result">
          <h2 id="share-result">Result</h2>
          <RunProgressView
            key={runId}
            runId={runId}
            order={share.outputs.map((o) => o.name)}
            fileUrl={(sha) => fileUrl(runId, sha)}
            onFinished={() => setRunning(false)}
          />
        </section>
      ) : null}
      <LinkBatch token={token} share={share} left={left} onStarted={(count) => setLeft((n) => Math.max(0, n - count))} />
    </article>
  );
}
