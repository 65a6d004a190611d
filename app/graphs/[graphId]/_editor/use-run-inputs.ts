'use client';
import { create } from 'zustand';
import type { JsonValue } from '../../../../nodes/ports';
import { useCatalogueStore } from './catalogue-store';
import { useGraphStore } from './graph-store';
import {
  initialValues,
  inputFields,
  inputProblems,
  inputProblemsFromServer,
  readRemembered,
  runInputs,
  writeRemembered,
  type InputField,
} from './run-inputs';
import { isRunActive, useRunStore } from './run-store';
import { runCurrent, useRunUi } from './use-run';

interface RunInputsState {
  /** The graph the dialog (and the values in it) belong to. */
  graphId: string | undefined;
  open: boolean;
  fields: InputField[];
  /** The values in the dialog by input name; kept after closing it, as a draft, until another graph opens it. */
  values: Record<string, unknown>;
  /** Inline problems by input name: a required input without a value, or the server's refusal. */
  problems: Record<string, string>;
  /** The inputs of the last run started from the dialog on this page: Ctrl+Enter runs again with them. */
  lastUsed: { graphId: string; inputs: Record<string, JsonValue> } | undefined;
}

export const useRunInputsStore = create<RunInputsState>(() => ({ graphId: undefined, open: false, fields: [], values: {}, problems: {}, lastUsed: undefined }));

/** The graph inputs the canvas declares, as dialog fields (param targets looked up in the catalogue). */
export function currentInputFields(): InputField[] {
  const { nodes, toDocument } = useGraphStore.getState();
  const { byType } = useCatalogueStore.getState();
  const typeOf = new Map(nodes.map((n) => [n.id, n.data.type]));
  return inputFields(toDocument().inputs, (nodeId, param) => byType.get(typeOf.get(nodeId) ?? '')?.params.find((p) => p.name === param));
}

function openDialog(graphId: string, fields: InputField[], problems: Record<string, string> = {}, values?: Record<string, unknown>): void {
  const state = useRunInputsStore.getState();
  const draft = values ?? (state.graphId === graphId ? state.values : undefined);
  useRunInputsStore.setState({ graphId, open: true, fields, problems, values: initialValues(fields, readRemembered(graphId), draft) });
}

const isBusy = () => {
  const { phase } = useRunUi.getState();
  return phase === 'saving' || phase === 'starting' || isRunActive(useRunStore.getState().status);
};

/** Starts the run; when the server refuses one of the inputs, the dialog opens again with its message on that input. */
async function start(graphId: string, fields: InputField[], inputs: Record<string, JsonValue>): Promise<void> {
  const outcome = await runCurrent(graphId, inputs);
  if (outcome.started) return;
  const problems = inputProblemsFromServer(outcome.validationErrors);
  if (Object.keys(problems).length === 0) return;
  useRunInputsStore.setState({ lastUsed: undefined });
  openDialog(graphId, fields, problems, inputs);
}

/**
 * Run (the button, or Ctrl+Enter as `again`). A graph without inputs runs at once, as it always did.
 * A graph with inputs opens the "Run with inputs" dialog; `again` skips the dialog when a run was
 * started from it on this page and those values still fit the graph's inputs.
 */
export function requestRun(graphId: string, how: 'ask' | 'again'): void {
  if (isBusy() || useRunInputsStore.getState().open) return;
  const fields = currentInputFields();
  if (fields.length === 0) {
    void runCurrent(graphId);
    return;
  }
  const { lastUsed } = useRunInputsStore.getState();
  if (how === 'again' && lastUsed?.graphId === graphId && Object.keys(inputProblems(fields, lastUsed.inputs)).length === 0) {
    void start(graphId, fields, runInputs(fields, lastUsed.inputs));
    return;
  }
  openDialog(graphId, fields);
}

export function setRunInput(name: string, value: unknown): void {
  useRunInputsStore.setState((s) => {
    const { [name]: _problem, ...problems } = s.problems;
    return { values: { ...s.values, [name]: value }, problems };
  });
}

export function reportRunInputProblem(name: string, message: string): void {
  useRunInputsStore.setState((s) => ({ problems: { ...s.problems, [name]: message } }));
}

export function closeRunInputs(): void {
  useRunInputsStore.setState({ open: false, problems: {} });
}

/**
 * The dialog's Run: inputs that need a value and have none stop it with their problems (false);
 * otherwise the values are remembered for this graph, the dialog closes and the run starts.
 */
export function submitRunInputs(): boolean {
  const { graphId, fields, values } = useRunInputsStore.getState();
  if (!graphId) return false;
  const problems = inputProblems(fields, values);
  if (Object.keys(problems).length > 0) {
    useRunInputsStore.setState({ problems });
    return false;
  }
  const inputs = runInputs(fields, values);
  writeRemembered(graphId, inputs);
  useRunInputsStore.setState({ open: false, problems: {}, lastUsed: { graphId, inputs } });
  void start(graphId, fields, inputs);
  return true;
}
