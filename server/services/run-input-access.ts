import type { GraphInput } from '../../engine/graph-document';
import { graphInputValues, resolveNodeParams } from '../../engine/resolve-params';
import type { ExecutionPlan } from '../../engine/validate';
import { isNodeError } from '../../nodes/errors';
import { artifactRefsOf } from '../../nodes/param-refs';
import { isPortValue } from '../../nodes/ports';
import type { PrismaClient } from '../db/generated/client';
import type { JobInput } from '../runs/run-job';
import { toJson } from '../runs/summarise-outputs';
import { AppError } from './app-error';
import { canUseContent } from './artifact-service';
import type { Viewer } from './viewer';

/** What a run may read: its graph inputs turned into job inputs, and every artifact its nodes will load, each checked against who may use it. */

/**
 * Every artifact the run will read — image inputs, and each param that names an
 * artifact as the node will run with it (graph inputs and their defaults applied) —
 * checked against the caller's access (values the caller gave) or the document's author's
 * (values written in the document; the same person unless the run comes through a share
 * link). The job carries exactly this list and the worker reads nothing else (scopedArtifactStore).
 */
export async function readableArtifacts(prisma: PrismaClient, who: Viewer, plan: ExecutionPlan, given: Record<string, unknown>, jobInputs: Record<string, JobInput>, author: Viewer): Promise<string[]> {
  const allowed = new Set<string>();
  for (const input of Object.values(jobInputs)) if (input.kind === 'artifact') allowed.add(input.artifactId);
  const inputValues = graphInputValues(plan.document.inputs, given);
  for (const node of plan.nodes) {
    let params: Record<string, unknown>;
    try {
      params = resolveNodeParams(node, inputValues);
    } catch (error) {
      if (!isNodeError(error)) throw error;
      const param = typeof error.details?.param === 'string' ? error.details.param : undefined;
      throw new AppError('BAD_REQUEST', `node ${node.id}: ${error.message}`, {
        validationErrors: [{ nodeId: node.id, ...(param ? { param } : {}), code: error.code, message: error.message }],
      });
    }
    for (const ref of artifactRefsOf(node.def, params)) {
      const input = node.paramInputs[ref.param];
      const fromCaller = input !== undefined && Object.hasOwn(given, input) && given[input] !== null;
      if (ref.valid && (await canUseContent(prisma, fromCaller ? who : author, ref.value))) {
        allowed.add(ref.value);
        continue;
      }
      throw new AppError('FORBIDDEN', `node ${node.id} reads an image you may not read (param "${ref.param}")`, {
        validationErrors: [{ nodeId: node.id, param: ref.param, code: 'forbidden', message: 'you may not read this image' }],
      });
    }
  }
  return [...allowed];
}

/** Image inputs become artifact references the caller may read; everything else must match its declared kind. */
export async function jobInputsFor(
  prisma: PrismaClient,
  who: Viewer,
  declared: GraphInput[],
  given: Record<string, unknown>,
): Promise<Record<string, JobInput>> {
  const out: Record<string, JobInput> = {};
  const problems: { nodeId: null; input: string; code: string; message: string }[] = [];
  for (const name of Object.keys(given)) {
    if (!declared.some((d) => d.name === name)) problems.push({ nodeId: null, input: name, code: 'invalid_graph_input', message: `the graph has no input "${name}"` });
  }
  for (const input of declared) {
    const value = given[input.name];
    if (value === undefined || value === null) {
      if (input.required && input.default === undefined) {
        problems.push({ nodeId: null, input: input.name, code: 'missing_graph_input', message: `graph input "${input.name}" (${input.kind}) is required` });
      }
      continue;
    }
    if (input.kind === 'image' || input.kind === 'mask') {
      const sha = typeof value === 'string' ? await imageSha(prisma, who, value) : undefined;
      if (!sha) problems.push({ nodeId: null, input: input.name, code: 'invalid_graph_input', message: `graph input "${input.name}" needs the id of an image you uploaded` });
      else out[input.name] = { kind: 'artifact', artifactId: sha };
    } else if (isPortValue(input.kind, value)) {
      out[input.name] = { kind: 'value', value: toJson(value) };
    } else {
      problems.push({ nodeId: null, input: input.name, code: 'invalid_graph_input', message: `graph input "${input.name}" must be ${input.kind}` });
    }
  }
  if (problems.length > 0) throw new AppError('BAD_REQUEST', problems[0]!.message, { validationErrors: problems });
  return out;
}

async function imageSha(prisma: PrismaClient, who: Viewer, ref: string): Promise<string | undefined> {
  if (/^[0-9a-f]{64}$/.test(ref)) return (await canUseContent(prisma, who, ref)) ? ref : undefined;
  const row = await prisma.artifact.findUnique({ where: { id: ref }, select: { sha256: true } });
  return row && (await canUseContent(prisma, who, row.sha256)) ? row.sha256 : undefined;
}
