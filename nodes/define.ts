import { z } from 'zod';
import type { NodeContext } from './context';
import { paramUiProblems } from './param-ui';
import { isBoundedKind, type InputKind, type PortKind, type PortSpec, type PortValue } from './ports';

export type PortMap = Record<string, PortSpec>;
export type ParamsSchema = z.ZodObject<z.ZodRawShape>;

type Value<P extends PortSpec> = PortValue<P['kind']>;

/** Values a node receives: optional ports may be undefined. */
export type InputValues<I extends PortMap> = {
  [K in keyof I]: I[K]['optional'] extends false ? Value<I[K]> : Value<I[K]> | undefined;
};
/** Values a node must return: every output port. */
export type OutputValues<O extends PortMap> = { [K in keyof O]: Value<O[K]> };

export interface RunArgs<I extends PortMap, P extends ParamsSchema> {
  inputs: InputValues<I>;
  params: z.output<P>;
  ctx: NodeContext;
}

export interface NodeDeclaration<I extends PortMap, P extends ParamsSchema, O extends PortMap> {
  /** Stable, dot-namespaced id (`image.blur`). A rename is a new id plus a migration. */
  type: string;
  /** Bumped when behaviour or params change; part of the cache key. */
  version: number;
  title: string;
  /** Slash-separated menu path, e.g. `image/filter`. */
  category: string;
  description?: string;
  inputs: I;
  params: P;
  outputs: O;
  run(args: RunArgs<I, P>): Promise<OutputValues<O>> | OutputValues<O>;
  /**
   * Upgrades params written for an older version of this node type (the
   * document's `typeVersion`) to the current version's shape.
   */
  migrateParams?(params: Record<string, unknown>, fromVersion: number): Record<string, unknown>;
  /**
   * Extra cache-key material for nodes whose output depends on more than their
   * params and inputs (a file's modification time, say). Same fingerprint, same output.
   */
  fingerprint?(params: z.output<P>, ctx: NodeContext): Promise<string> | string;
  /**
   * Whether the node wants a GPU worker: `preferred` runs anywhere but is routed to a GPU
   * worker when one can take the run; `required` runs only there. Nodes with a model
   * param prefer one without saying so.
   */
  accelerator?: 'preferred' | 'required';
  /**
   * Each output is the input of the same name, unchanged (a reroute, a value display): the engine
   * passes the values on without calling `run`, and what reads the outputs is cached as if it read
   * the inputs' sources directly.
   */
  passThrough?: boolean;
}

/** A checked node declaration. Its types flow from the declaration into `run`. */
export interface NodeDefinition<I extends PortMap = PortMap, P extends ParamsSchema = ParamsSchema, O extends PortMap = PortMap>
  extends NodeDeclaration<I, P, O> {
  readonly kind: 'pixelwire.node';
}

/** Any node definition, for registries and the engine. */
export type AnyNodeDefinition = NodeDefinition<PortMap, ParamsSchema, PortMap>;

const typeIdPattern = /^[a-z][a-z0-9]*(\.[a-z][a-z0-9-]*)+$/;
const portNamePattern = /^[a-z][A-Za-z0-9_]*$/;

export class NodeDefinitionError extends Error {
  override readonly name = 'NodeDefinitionError';
}

/**
 * Declares a node. Checks itself: a well-formed type id and version, port and
 * param names that are unique and well-formed, a length bound on every text and
 * boxes input, defaults that parse, and param visibility conditions that name real
 * params (with values they accept) and ports (see param-ui.ts).
 */
export function defineNode<I extends PortMap, P extends ParamsSchema, O extends PortMap>(
  declaration: NodeDeclaration<I, P, O>,
): NodeDefinition<I, P, O> {
  const { type, version } = declaration;
  const fail = (msg: string): never => {
    throw new NodeDefinitionError(`node ${type}: ${msg}`);
  };
  if (!typeIdPattern.test(type)) fail(`type id must be dot-namespaced lower case (like image.blur)`);
  if (!Number.isInteger(version) || version < 1) fail(`version must be a positive integer`);
  if (!declaration.title.trim()) fail('title is empty');
  const paramNames = Object.keys(declaration.params.shape);
  const seen = new Set<string>();
  for (const name of [...Object.keys(declaration.inputs), ...paramNames]) {
    if (!portNamePattern.test(name)) fail(`name "${name}" must be camelCase letters and digits`);
    if (seen.has(name)) fail(`"${name}" is both an input and a param`);
    seen.add(name);
  }
  for (const name of Object.keys(declaration.outputs)) {
    if (!portNamePattern.test(name)) fail(`output "${name}" must be camelCase letters and digits`);
  }
  for (const [name, spec] of Object.entries(declaration.inputs)) {
    const max = spec.maxLength;
    const bounded = max !== undefined && Number.isInteger(max) && max > 0;
    if (isBoundedKind(spec.kind) ? !bounded : max !== undefined) {
      fail(`input "${name}" (${spec.kind}): maxLength must be a positive integer on text and boxes ports, absent on others`);
    }
  }
  for (const [name, spec] of Object.entries(declaration.outputs)) {
    // An `any` output takes its kind from an `any` input that must be connected, so validation can always resolve it.
    const from = spec.sameAs === undefined || !Object.hasOwn(declaration.inputs, spec.sameAs) ? undefined : declaration.inputs[spec.sameAs];
    if (spec.kind === 'any' && (from?.kind !== 'any' || from.optional)) fail(`output "${name}" is any: it must be port.sameAs(a required any input)`);
    if (spec.kind !== 'any' && spec.sameAs !== undefined) fail(`output "${name}" (${spec.kind}): sameAs is for any outputs only`);
    if (declaration.passThrough && !Object.hasOwn(declaration.inputs, name)) fail(`passes through, but output "${name}" has no input of the same name`);
  }
  for (const name of paramNames) {
    const field = declaration.params.shape[name];
    if (!field) continue;
    if (field instanceof z.ZodDefault) {
      // zod 4 returns a default as is, without checking it: parse it with the inner schema.
      const parsed = z.safeParse(field.unwrap(), field.def.defaultValue);
      if (!parsed.success) fail(`default of param "${name}" does not parse: ${parsed.error.issues[0]?.message}`);
    }
  }
  const [uiProblem] = paramUiProblems(declaration);
  if (uiProblem) fail(uiProblem);
  return Object.freeze({ ...declaration, kind: 'pixelwire.node' as const });
}

export function inputKind(def: AnyNodeDefinition, port: string): InputKind | undefined {
  return Object.hasOwn(def.inputs, port) ? def.inputs[port]?.kind : undefined;
}

/** An output's declared kind; undefined for an `any` output, whose kind validation resolves (PlannedNode.outputKinds). */
export function outputKind(def: AnyNodeDefinition, port: string): PortKind | undefined {
  const kind = Object.hasOwn(def.outputs, port) ? def.outputs[port]?.kind : undefined;
  return kind === 'any' ? undefined : kind;
}
