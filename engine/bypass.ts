import { NodeError } from '../nodes/errors';
import { canConnect, type PortKind, type PortValue } from '../nodes/ports';
import type { NodeOutputs } from './result-cache';
import type { PlannedNode } from './validate';

/** A port and the kind of value it carries (for an `any` port: the kind of what feeds it). */
export interface KindedPort {
  name: string;
  kind: PortKind;
}

/**
 * Which input a bypassed node passes on as each output: the input of the same name, else the
 * first input of the same kind, else the first input that can connect to it (a mask to an
 * image); undefined for an output no input can feed. `inputs` are the inputs that have a value
 * (the connected ones), in declaration order. The editor asks the same question of a node's
 * declared ports to say whether it can be bypassed at all.
 */
export function bypassSources(inputs: readonly KindedPort[], outputs: readonly KindedPort[]): Record<string, string | undefined> {
  const sources: Record<string, string | undefined> = {};
  for (const output of outputs) {
    const match =
      inputs.find((input) => input.name === output.name && canConnect(input.kind, output.kind)) ??
      inputs.find((input) => input.kind === output.kind) ??
      inputs.find((input) => canConnect(input.kind, output.kind));
    sources[output.name] = match?.name;
  }
  return sources;
}

/**
 * What a bypassed (or pass-through) node passes on instead of running: each output takes the
 * input bypassSources picks, and `from` says which (so what reads the output can be keyed by
 * that input's source). An output no input can feed fails the node, naming the output.
 */
export function bypassOutputs(node: PlannedNode, inputs: Record<string, PortValue | undefined>): { outputs: NodeOutputs; from: Record<string, string> } {
  const given: KindedPort[] = [];
  for (const [name, spec] of Object.entries(node.def.inputs)) {
    const kind = spec.kind === 'any' ? node.inputKinds[name] : spec.kind;
    if (inputs[name] !== undefined && kind) given.push({ name, kind });
  }
  const outputs: NodeOutputs = {};
  const from: Record<string, string> = {};
  for (const [name, spec] of Object.entries(node.def.outputs)) {
    const kind = spec.kind === 'any' ? node.outputKinds[name] : spec.kind;
    const source = kind ? bypassSources(given, [{ name, kind }])[name] : undefined;
    if (!source) {
      throw new NodeError('bypass_no_input', `bypassed ${node.def.type} has no input to pass on as its output "${name}" (${kind ?? spec.kind})`, { port: name });
    }
    outputs[name] = inputs[source]!;
    from[name] = source;
  }
  return { outputs, from };
}
