import { NodeError } from '../nodes/errors';
import { canConnect, type PortValue } from '../nodes/ports';
import type { NodeOutputs } from './result-cache';
import type { PlannedNode } from './validate';

/**
 * What a bypassed node passes on instead of running: each output takes the input of the
 * same name, else the first input of the same kind, else the first input that can connect
 * to it (a mask to an image). An output no input can feed fails the node, naming the output.
 */
export function bypassOutputs(node: PlannedNode, inputs: Record<string, PortValue | undefined>): NodeOutputs {
  const given = Object.entries(node.def.inputs).filter(([port]) => inputs[port] !== undefined);
  const outputs: NodeOutputs = {};
  for (const [name, spec] of Object.entries(node.def.outputs)) {
    const match =
      given.find(([port, input]) => port === name && canConnect(input.kind, spec.kind)) ??
      given.find(([, input]) => input.kind === spec.kind) ??
      given.find(([, input]) => canConnect(input.kind, spec.kind));
    if (!match) {
      throw new NodeError('bypass_no_input', `bypassed ${node.def.type} has no input to pass on as its output "${name}" (${spec.kind})`, { port: name });
    }
    outputs[name] = inputs[match[0]]!;
  }
  return outputs;
}
