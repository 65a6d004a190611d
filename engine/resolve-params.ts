import { NodeError } from '../nodes/errors';
import type { PlannedNode } from './validate';

/** A graph input's value as a node param sees it: given by the caller, else the input's default. */
export type GraphInputValues = ReadonlyMap<string, { value: unknown }>;

/**
 * A node's params as it will run with them: graph inputs that target params
 * (given values, else the inputs' defaults) applied, then parsed by the node's
 * schema again. The executor and the run service's access check both use this,
 * so what is checked is what runs. Throws NodeError (`invalid_param`) when an
 * input gives a value the param refuses.
 */
export function resolveNodeParams(node: PlannedNode, inputs: GraphInputValues): Record<string, unknown> {
  let params = node.params;
  for (const [param, name] of Object.entries(node.paramInputs)) {
    const given = inputs.get(name);
    if (given) params = { ...params, [param]: given.value };
  }
  if (params === node.params) return params;
  const parsed = node.def.params.safeParse(params);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new NodeError('invalid_param', `param ${issue?.path.join('.')}: ${issue?.message}`, { param: String(issue?.path[0] ?? '') });
}

/** Each declared graph input's value for a run: the caller's when given, else its default (absent when neither). */
export function graphInputValues(declared: readonly { name: string; default?: unknown }[], given: Record<string, unknown>): Map<string, { value: unknown }> {
  const values = new Map<string, { value: unknown }>();
  for (const input of declared) {
    const value = Object.hasOwn(given, input.name) && given[input.name] !== null ? given[input.name] : input.default;
    if (value !== undefined) values.set(input.name, { value });
  }
  return values;
}
