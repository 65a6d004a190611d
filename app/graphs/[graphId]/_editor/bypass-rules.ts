import { bypassSources, type KindedPort } from '../../../../engine/bypass';
import type { CatalogueEntry } from '../../../../nodes/catalogue';

type Port = CatalogueEntry['inputs'][number];

const kinded = (ports: readonly Port[]): KindedPort[] => ports.flatMap((p) => (p.kind === 'any' ? [] : [{ name: p.name, kind: p.kind }]));
const named = (ports: readonly Port[]) => ports.map((p) => `${p.name} (${p.kind})`).join(', ');

/**
 * The outputs a bypassed node would have nothing for, by the engine's rule (engine/bypass.ts):
 * each output takes the input of the same name, else of the same kind, else one that connects;
 * an `any` output (sameAs) takes the input it follows. `connected`: the inputs that will have a
 * value; all declared inputs when omitted (can this type be bypassed at all?).
 */
export function bypassGaps(entry: CatalogueEntry, connected?: ReadonlySet<string>): Port[] {
  const has = (p: Port) => !connected || connected.has(p.name);
  const sources = bypassSources(kinded(entry.inputs.filter(has)), kinded(entry.outputs));
  return entry.outputs.filter((o) => (o.kind === 'any' ? !entry.inputs.some((i) => i.name === o.sameAs && has(i)) : !sources[o.name]));
}

/** Why nodes of this type can never be bypassed, or undefined when they can. */
export function bypassBlocker(entry: CatalogueEntry): string | undefined {
  const gaps = bypassGaps(entry);
  if (gaps.length === 0) return undefined;
  if (entry.inputs.length === 0) return `${entry.title} cannot be bypassed: it has no input to pass on`;
  return `${entry.title} cannot be bypassed: no input can stand in for output ${named(gaps)}`;
}

/** What a bypassed node lacks with its inputs connected as they are (the run would fail it with bypass_no_input), or undefined. */
export function bypassGapMessage(entry: CatalogueEntry, connected: ReadonlySet<string>): string | undefined {
  const gaps = bypassGaps(entry, connected);
  return gaps.length ? `bypassed, but nothing connected can pass on as ${named(gaps)}` : undefined;
}
