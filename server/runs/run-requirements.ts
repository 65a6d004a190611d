import { modelRefsOf } from '../../nodes/param-refs';
import { resolveNodeParams, type GraphInputValues } from '../../engine/resolve-params';
import type { ExecutionPlan } from '../../engine/validate';

/** What a run needs of the worker that executes it. */
export interface RunRequirements {
  /** Models it loads, as `kind/name` (e.g. `style/candy`). */
  models: string[];
  /** Whether it runs model nodes, which are faster on a GPU worker. */
  accelerator?: 'preferred' | 'required';
}

/**
 * Requirements read from the declarations: every param marked as naming a
 * model (after graph inputs are applied) is a model the worker must have; a
 * node's `accelerator` (or any model param) makes a GPU preferred.
 */
export function runRequirements(plan: ExecutionPlan, inputs: GraphInputValues): RunRequirements {
  const models = new Set<string>();
  let accelerator: RunRequirements['accelerator'];
  for (const node of plan.nodes) {
    let params: Record<string, unknown>;
    try {
      params = resolveNodeParams(node, inputs);
    } catch {
      params = node.params;
    }
    const refs = modelRefsOf(node.def, params);
    for (const ref of refs) models.add(ref);
    const wants = node.def.accelerator ?? (refs.length > 0 ? 'preferred' : undefined);
    if (wants === 'required' || (wants === 'preferred' && accelerator === undefined)) accelerator = wants;
  }
  return { models: [...models].sort(), ...(accelerator ? { accelerator } : {}) };
}
