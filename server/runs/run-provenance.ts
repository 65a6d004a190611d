import type { Provenance } from '../../nodes/context';
import { modelSha256 } from '../../nodes/_impl/models/model-fingerprint';
import { modelPath, type ModelKind } from '../../nodes/_impl/models/models-dir';
import { modelRefsOf } from '../../nodes/param-refs';
import { resolveNodeParams } from '../../engine/resolve-params';
import type { ExecutionPlan } from '../../engine/validate';
import type { RunJob } from './run-job';

/** Where a model of a kind lives: a file for style models, a folder for diffusion models. */
function modelLocation(id: string): string | undefined {
  const [kind, name] = id.split('/') as [ModelKind, string | undefined];
  if (!name) return undefined;
  try {
    if (kind === 'style') return modelPath('style', `${name}.onnx`);
    if (kind === 'diffusion') return modelPath('diffusion', name);
  } catch {
    // a name no model can have
  }
  return undefined;
}

/**
 * The run's provenance as this worker knows it: the job's graph and version, and the
 * sha256 of every model the plan names (as installed here). Models not installed are left out.
 */
export async function runProvenance(job: RunJob, plan: ExecutionPlan, inputs: ReadonlyMap<string, { value: unknown }>): Promise<Provenance> {
  const ids = new Set<string>();
  for (const node of plan.nodes) {
    let params: Record<string, unknown>;
    try {
      params = resolveNodeParams(node, inputs);
    } catch {
      params = node.params;
    }
    for (const id of modelRefsOf(node.def, params)) ids.add(id);
  }
  const models: Record<string, string> = {};
  for (const id of [...ids].sort()) {
    const location = modelLocation(id);
    const sha256 = location ? await modelSha256(location) : undefined;
    if (sha256) models[id] = sha256;
  }
  return { ...job.provenance, runId: job.runId, models };
}
