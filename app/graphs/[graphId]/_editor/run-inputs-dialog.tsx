'use client';
import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Modal } from '../../../_components/modal';
import { widgets } from './param-widgets';
import type { InputField } from './run-inputs';
import styles from './run-save.module.css';
import { closeRunInputs, reportRunInputProblem, setRunInput, submitRunInputs, useRunInputsStore } from './use-run-inputs';

/** Keys of a control that Enter must not take over: buttons click, text areas take new lines. */
const keepsEnter = (target: EventTarget) =>
  target instanceof HTMLTextAreaElement || target instanceof HTMLButtonElement || (target instanceof HTMLInputElement && ['button', 'submit', 'reset'].includes(target.type));

/** The control of an input's field that takes focus (not the slider beside a number, which is hidden from the keyboard). */
const controlOf = (form: HTMLFormElement | null, name: string) =>
  form?.querySelector<HTMLElement>(`[data-input="${CSS.escape(name)}"] :is(input, select, textarea):not([tabindex="-1"])`) ?? null;

/**
 * "Run with inputs": one row per graph input with the param widget of its kind, prefilled with the
 * last values used for this graph and the defaults. Enter or Ctrl+Enter runs, Escape closes.
 */
export function RunInputsDialog() {
  const state = useRunInputsStore(useShallow((s) => ({ open: s.open, fields: s.fields, values: s.values, problems: s.problems })));
  // Leaving the editor with the dialog open does not leave it open for the next graph.
  useEffect(() => () => closeRunInputs(), []);
  return <RunInputsView {...state} />;
}

/** The dialog as its state shows it (the store's state, or a test's). */
export function RunInputsView({
  open,
  fields,
  values,
  problems,
}: {
  open: boolean;
  fields: InputField[];
  values: Record<string, unknown>;
  problems: Record<string, string>;
}) {
  const titleId = useId();
  const descId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const runRef = useRef<HTMLButtonElement>(null);

  /** Where focus goes: the first field with a problem, else the first that still needs a value, else the Run button. */
  const focusName = useRef<string | undefined>(undefined);
  focusName.current = (fields.find((f) => problems[f.input.name]) ?? fields.find((f) => f.needsValue && values[f.input.name] === undefined))?.input.name;
  const focusFirst = () => {
    const control = focusName.current ? controlOf(formRef.current, focusName.current) : null;
    (control ?? runRef.current)?.focus();
  };
  // After the dialog has opened (the Modal's effect runs first); the browser moves focus back to the opener on close.
  useEffect(() => {
    if (open) focusFirst();
  }, [open]);

  const submit = () => {
    // Refused: after the re-render that shows the problems, focus the first.
    if (!submitRunInputs()) requestAnimationFrame(focusFirst);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.nativeEvent.isComposing) return;
    const run = event.ctrlKey || event.metaKey;
    if (!run && keepsEnter(event.target)) return;
    event.preventDefault();
    // A JSON field commits on blur: commit it before reading the values.
    if (event.target instanceof HTMLTextAreaElement) event.target.blur();
    submit();
  };

  return (
    <Modal open={open} onClose={closeRunInputs} labelledBy={titleId} describedBy={descId} testId="run-inputs-dialog" className={styles.inputsDialog}>
      <form
        ref={formRef}
        noValidate
        onKeyDown={onKeyDown}
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <h2 id={titleId}>Run with inputs</h2>
        <p id={descId} className="muted">
          This graph takes {fields.length === 1 ? 'an input' : `${fields.length} inputs`}. The values are remembered for this graph in this browser;
          afterwards Ctrl+Enter runs again with the same inputs.
        </p>
        <div className={styles.inputs}>
          {fields.map((field) => (
            <InputRow key={field.input.name} field={field} value={values[field.input.name]} problem={problems[field.input.name]} />
          ))}
        </div>
        <p className={styles.hint}>Enter or Ctrl+Enter runs; Escape closes.</p>
        <div className={styles.actions}>
          <button type="button" className={styles.button} onClick={closeRunInputs}>
            Cancel
          </button>
          <button ref={runRef} type="submit" className={styles.primary} aria-keyshortcuts="Enter Control+Enter Meta+Enter">
            Run
          </button>
        </div>
      </form>
    </Modal>
  );
}

function InputRow({ field, value, problem }: { field: InputField; value: unknown; problem: string | undefined }) {
  const id = useId();
  const Widget = widgets[field.spec.kind];
  const { name, description } = field.input;
  const describedBy = [`${id}-meta`, description ? `${id}-hint` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ');
  return (
    <div className={styles.inputRow} data-input={name} data-invalid={problem ? true : undefined}>
      <div className={styles.inputLabel}>
        <span className={styles.inputName}>{name}</span>
        <span id={`${id}-meta`} className={styles.inputMeta}>
          {field.input.kind}
          {field.needsValue ? ', required' : field.input.default !== undefined ? ', has a default' : ', optional'}
        </span>
      </div>
      <div className={styles.inputControl}>
        <Widget
          spec={field.spec}
          value={value}
          invalid={problem !== undefined}
          describedBy={describedBy}
          onChange={(v) => setRunInput(name, v)}
          reportError={(message) => reportRunInputProblem(name, message)}
        />
      </div>
      {description ? (
        <p id={`${id}-hint`} className={styles.inputHint}>
          {description}
        </p>
      ) : null}
      {problem ? (
        <p id={`${id}-problem`} className={styles.inputProblem} role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
