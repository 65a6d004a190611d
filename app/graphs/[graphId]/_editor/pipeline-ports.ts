import { z } from 'zod';
import { zPortKind, type PortKind } from '../../../../nodes/ports';
import type { GraphDocument } from '../../../../engine/graph-document';

/** The node type of a saved graph version used as a node (engine/flatten-pipelines.ts). */
export const PIPELINE_TYPE = 'pipeline.call';

/** A pipeline node's params: the graph and version it calls, and values for the inputs that set params. */
export const zPipelineParams = z.object({
  graphId: z.string().min(1),
  version: z.number().int().min(1),
  inputs: z.record(z.string(), z.unknown()).default({}),
});
export type PipelineParams = z.infer<typeof zPipelineParams>;

export function pipelineParamsOf(params: Record<string, unknown>): PipelineParams | undefined {
  const parsed = zPipelineParams.safeParse(params);
  return parsed.success ? parsed.data : undefined;
}

/** One graph input of a pipeline: a handle when it feeds ports, a widget when it sets params (it may do both). */
export interface PipelineInputPort {
  name: string;
  kind: PortKind;
  required: boolean;
  default?: unknown;
  description?: string;
  feedsPort: boolean;
  setsParams: boolean;
}
export interface PipelineOutputPort {
  name: string;
  kind: PortKind;
  description?: string;
}
export interface PipelinePorts {
  inputs: PipelineInputPort[];
  outputs: PipelineOutputPort[];
}

const zInput = z.object({
  name: z.string().min(1),
  kind: zPortKind,
  required: z.boolean().default(true),
  default: z.unknown().optional(),
  description: z.string().optional(),
  setsParams: z.boolean().default(false),
});
const zOutput = z.object({ name: z.string().min(1), kind: zPortKind, description: z.string().optional() });

/** One entry of catalogue.pipelines, re-validated where it enters the browser. */
export const zPipelineSummary = z.object({
  graphId: z.string().min(1),
  name: z.string(),
  description: z.string().nullish(),
  team: z.object({ id: z.string(), name: z.string() }).nullable(),
  headVersion: z.number().int().min(1),
  inputs: z.array(zInput),
  outputs: z.array(zOutput),
});
export type PipelineSummary = z.infer<typeof zPipelineSummary>;

export function parsePipelines(raw: readonly unknown[]): { list: PipelineSummary[]; rejected: string[] } {
  const list: PipelineSummary[] = [];
  const rejected: string[] = [];
  raw.forEach((value, i) => {
    const parsed = zPipelineSummary.safeParse(value);
    if (parsed.success) list.push(parsed.data);
    else rejected.push(`pipeline ${i}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  });
  return { list, rejected };
}

const withOptional = <T extends object>(base: T, extra: { default?: unknown; description?: string | undefined }) => ({
  ...base,
  ...(extra.default !== undefined ? { default: extra.default } : {}),
  ...(extra.description ? { description: extra.description } : {}),
});

/** The head version's ports as the catalogue lists them (an input that sets params is taken not to feed ports). */
export function portsOfSummary(summary: PipelineSummary): PipelinePorts {
  return {
    inputs: summary.inputs.map((i) =>
      withOptional({ name: i.name, kind: i.kind, required: i.required, feedsPort: !i.setsParams, setsParams: i.setsParams }, i),
    ),
    outputs: summary.outputs.map((o) => withOptional({ name: o.name, kind: o.kind }, o)),
  };
}

/** The ports of a pinned version, from its document (the same reading the server makes). */
export function portsOfDocument(document: Pick<GraphDocument, 'inputs' | 'outputs'>): PipelinePorts {
  return {
    inputs: document.inputs.map((i) =>
      withOptional(
        {
          name: i.name,
          kind: i.kind,
          required: i.required,
          feedsPort: i.targets.some((t) => 'port' in t),
          setsParams: i.targets.some((t) => 'param' in t),
        },
        i,
      ),
    ),
    outputs: document.outputs.map((o) => withOptional({ name: o.name, kind: o.kind }, o)),
  };
}

/** What changes on a pipeline node when it moves to another version. */
export interface PortChange {
  side: 'input' | 'output';
  name: string;
  change: 'added' | 'removed' | 'kind' | 'role';
  /** The old and new kind ('kind'), or what the input is ('role': "port" / "value"). */
  from?: string;
  to?: string;
}

const roleOf = (i: PipelineInputPort) => (i.feedsPort && i.setsParams ? 'port and value' : i.feedsPort ? 'port' : 'value');

/** Added, removed and changed ports between two versions, inputs first, in the new version's order. */
export function diffPorts(before: PipelinePorts, after: PipelinePorts): PortChange[] {
  const changes: PortChange[] = [];
  const sides = [
    ['input', before.inputs, after.inputs],
    ['output', before.outputs, after.outputs],
  ] as const;
  for (const [side, old, next] of sides) {
    const oldByName = new Map<string, PipelineInputPort | PipelineOutputPort>(old.map((p) => [p.name, p]));
    const nextNames = new Set(next.map((p) => p.name));
    for (const p of old) if (!nextNames.has(p.name)) changes.push({ side, name: p.name, change: 'removed', from: p.kind });
    for (const p of next) {
      const was = oldByName.get(p.name);
      if (!was) changes.push({ side, name: p.name, change: 'added', to: p.kind });
      else if (was.kind !== p.kind) changes.push({ side, name: p.name, change: 'kind', from: was.kind, to: p.kind });
      else if ('feedsPort' in was && 'feedsPort' in p && roleOf(was) !== roleOf(p)) changes.push({ side, name: p.name, change: 'role', from: roleOf(was), to: roleOf(p) });
    }
  }
  return changes;
}

export function describeChange(c: PortChange): string {
  switch (c.change) {
    case 'added':
      return `${c.side} ${c.name} (${c.to}) added`;
    case 'removed':
      return `${c.side} ${c.name} (${c.from}) removed`;
    case 'kind':
      return `${c.side} ${c.name}: ${c.from} → ${c.to}`;
    case 'role':
      return `${c.side} ${c.name}: ${c.from} → ${c.to}`;
  }
}
