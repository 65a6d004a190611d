import type { NodeContext } from '../nodes/context';
import type { AnyNodeDefinition } from '../nodes/define';
import { NodeError } from '../nodes/errors';
import { isPortValue, portValueTooLarge, type PortValue } from '../nodes/ports';

/**
 * Runs one node: parses its params with the node's schema, checks its inputs
 * (required ones present, each of its port's kind and within the port's maxLength),
 * calls `run`, and checks that every declared output came back with the right kind.
 */
export async function invokeNode(
  def: AnyNodeDefinition,
  inputs: Record<string, PortValue | undefined>,
  rawParams: unknown,
  ctx: NodeContext,
): Promise<Record<string, PortValue>> {
  const parsed = def.params.safeParse(rawParams ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NodeError('invalid_param', `param ${issue?.path.join('.') || '?'}: ${issue?.message}`, {
      param: String(issue?.path[0] ?? ''),
    });
  }
  for (const [name, spec] of Object.entries(def.inputs)) {
    const value = inputs[name];
    if (value === undefined) {
      if (!spec.optional) throw new NodeError('missing_input', `input "${name}" is required`, { port: name });
    } else if (!isPortValue(spec.kind, value)) {
      throw new NodeError('invalid_input', `input "${name}" is not a valid ${spec.kind}`, { port: name });
    } else {
      // Bounded before the node runs: its work grows with the value (draw-text, draw-boxes, OCR of many boxes).
      const tooLarge = portValueTooLarge(spec, value);
      if (tooLarge) throw new NodeError('input_too_large', `input "${name}" is too large: ${tooLarge}`, { port: name });
    }
  }
  const outputs = await def.run({ inputs, params: parsed.data, ctx });
  for (const [name, spec] of Object.entries(def.outputs)) {
    if (!isPortValue(spec.kind, outputs[name])) {
      throw new NodeError('invalid_output', `node ${def.type} returned no valid ${spec.kind} for output "${name}"`, {
        port: name,
      });
    }
  }
  return outputs;
}
