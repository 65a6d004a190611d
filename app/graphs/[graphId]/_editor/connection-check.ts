import { canConnect, type InputKind, type PortKind } from '../../../../nodes/ports';
import { fittingKind } from './any-kinds';
import type { PortLookup } from './node-ports';

export interface ConnectionEnds {
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

/** What a valid connection means: a param it sets (graph inputs only), and a graph input/output taking the other end's kind. */
export interface ResolvedConnection {
  param?: string;
  adopt?: { nodeId: string; kind: PortKind };
}

export type ConnectionCheck = ({ ok: true } & ResolvedConnection) | { ok: false; problem: string };

/**
 * Whether a connection is allowed, and what it means. Handle kinds come from the lookup
 * (catalogue, pipeline versions, graph inputs/outputs); canConnect decides between kinds.
 */
export function checkConnection(connection: ConnectionEnds, lookup: PortLookup, edges: readonly { source: string; target: string }[]): ConnectionCheck {
  const fail = (problem: string): ConnectionCheck => ({ ok: false, problem });
  const { source, target, sourceHandle, targetHandle } = connection;
  if (source === target) return fail('cannot connect a node to itself');
  const from = lookup(source);
  const to = lookup(target);
  if (!from || !to || !sourceHandle || !targetHandle) return fail('connect an output to an input');
  const fromKind = from.outputs.get(sourceHandle);
  if (!fromKind) return fail(`${source} has no output "${sourceHandle}"`);
  if (from.graphPort === 'input' && to.graphPort === 'output') return fail('wire a graph input to a node, not straight to a graph output');

  const param = to.params.get(targetHandle);
  if (param) {
    if (from.graphPort !== 'input') return fail(`param "${param.param}" can only be set by a graph input`);
    if (from.adoptsKind) return { ok: true, param: param.param, adopt: { nodeId: source, kind: param.kind } };
    if (fromKind !== param.kind && param.kind !== 'json') return fail(`graph input is ${fromKind} but param "${param.param}" takes ${param.kind}`);
    return { ok: true, param: param.param };
  }

  const toKind = to.inputs.get(targetHandle);
  if (!toKind) return fail(`${target} has no input "${targetHandle}"`);
  // Into an `any` input that passes its value on (a reroute, a Show value): the value must also fit what it reaches downstream.
  const onward = to.onward?.inputs.get(targetHandle) ?? [];
  let adopt: ResolvedConnection['adopt'];
  if (to.adoptsKind) {
    if (fromKind === 'any') return fail(`${source} carries nothing yet: connect its input first`);
    adopt = { nodeId: target, kind: fromKind };
  } else if (from.adoptsKind) {
    // A graph input takes the kind of the port it is wired to; through an `any` input, the kind of what it reaches.
    const kind = toKind !== 'any' ? toKind : (onward.find((k): k is PortKind => k !== 'any' && onward.every((d) => canConnect(k, d))) ?? fittingKind(onward));
    if (!kind) return fail(`nothing can flow through ${target} to ${describe(onward)}`);
    if (toKind !== 'any' || onward.some((k) => k !== 'any')) adopt = { nodeId: source, kind };
  } else if (fromKind === 'any') {
    // An `any` output nothing feeds yet: whatever will feed it must fit what it already feeds and this input.
    const already = from.onward?.outputs.get(sourceHandle) ?? [];
    if (!fittingKind([...already, toKind, ...onward])) return fail(`${source} already passes its value to ${describe(already)}: it cannot also feed ${describe([toKind, ...onward])}`);
  } else {
    if (!canConnect(fromKind, toKind)) return fail(`cannot connect ${fromKind} to ${toKind}`);
    const misfit = onward.find((k) => !canConnect(fromKind, k));
    if (misfit) return fail(`cannot connect ${fromKind} to ${target}: it passes its value on to ${misfit}`);
  }
  if (reaches(target, source, edges)) return fail('that connection would make a cycle');
  return adopt ? { ok: true, adopt } : { ok: true };
}

/** "image", "image and text": the concrete kinds in a list, once each. */
function describe(kinds: readonly InputKind[]): string {
  const named = [...new Set(kinds.filter((k) => k !== 'any'))];
  return named.length === 0 ? 'any kind' : named.join(' and ');
}

/** Why a connection is refused, or null when it is fine. */
export function connectionProblem(connection: ConnectionEnds, lookup: PortLookup, edges: readonly { source: string; target: string }[]): string | null {
  const check = checkConnection(connection, lookup, edges);
  return check.ok ? null : check.problem;
}

/** Whether `to` is reachable from `from` along edges. */
function reaches(from: string, to: string, edges: readonly { source: string; target: string }[]): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of edges) if (e.source === id) stack.push(e.target);
  }
  return false;
}
