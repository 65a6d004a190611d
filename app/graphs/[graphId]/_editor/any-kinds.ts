import { canConnect, portKinds, type InputKind, type PortKind } from '../../../../nodes/ports';

/** A wire on the canvas (node edges and graph input/output wires alike). */
export interface Wire {
  source: string;
  sourceHandle?: string | null;
  target: string;
  targetHandle?: string | null;
}

/** The declared ports of a canvas node: kinds as declared (`any` included) and, for `any` outputs, the input they follow. */
export interface DeclaredPorts {
  inputs: ReadonlyMap<string, InputKind>;
  outputs: ReadonlyMap<string, InputKind>;
  sameAs?: ReadonlyMap<string, string>;
}

/** The first kind every one of `kinds` takes (an `any` takes every kind), or undefined when none fits them all. */
export function fittingKind(kinds: readonly InputKind[]): PortKind | undefined {
  return portKinds.find((k) => kinds.every((to) => canConnect(k, to)));
}

/**
 * Kinds through `any` ports, as validation resolves them (engine/validate.ts): an `any` output
 * (a reroute, a Show value) has the kind of whatever feeds the input it follows, traced upstream
 * through other such outputs; `onward` says which input kinds a value reaches downstream of a
 * port, through such nodes, so that a new source can be checked against all of them.
 */
export function anyKinds(declared: (nodeId: string) => DeclaredPorts | undefined, wires: readonly Wire[]) {
  const into = new Map<string, Wire>();
  const outOf = new Map<string, Wire[]>();
  for (const w of wires) {
    const to = `${w.target}\u0000${w.targetHandle ?? ''}`;
    if (!into.has(to)) into.set(to, w);
    const from = `${w.source}\u0000${w.sourceHandle ?? ''}`;
    (outOf.get(from) ?? outOf.set(from, []).get(from)!).push(w);
  }

  /** The kind an output carries; `any` while nothing (or a loop) feeds the input it follows. */
  const outputKind = (nodeId: string, port: string, seen = new Set<string>()): InputKind | undefined => {
    const ports = declared(nodeId);
    const kind = ports?.outputs.get(port);
    if (kind !== 'any') return kind;
    const follows = ports?.sameAs?.get(port);
    const key = `${nodeId}\u0000${port}`;
    if (follows === undefined || seen.has(key)) return 'any';
    seen.add(key);
    const feed = into.get(`${nodeId}\u0000${follows}`);
    return (feed && outputKind(feed.source, feed.sourceHandle ?? '', seen)) ?? 'any';
  };

  /** The kinds of the inputs a value sent out of `nodeId`.`port` reaches, passing through `any` nodes. */
  const onwardOfOutput = (nodeId: string, port: string, seen = new Set<string>()): InputKind[] => {
    const kinds: InputKind[] = [];
    for (const w of outOf.get(`${nodeId}\u0000${port}`) ?? []) {
      const target = declared(w.target);
      const input = w.targetHandle ?? '';
      const kind = target?.inputs.get(input);
      if (kind === undefined) continue;
      kinds.push(kind);
      if (kind === 'any') kinds.push(...onwardOfInput(w.target, input, seen));
    }
    return kinds;
  };

  /** The kinds a value fed into an `any` input reaches, through the outputs that follow it. */
  const onwardOfInput = (nodeId: string, input: string, seen = new Set<string>()): InputKind[] => {
    const key = `${nodeId}\u0000${input}`;
    if (seen.has(key)) return [];
    seen.add(key);
    const ports = declared(nodeId);
    const kinds: InputKind[] = [];
    for (const [output, follows] of ports?.sameAs ?? []) if (follows === input) kinds.push(...onwardOfOutput(nodeId, output, seen));
    return kinds;
  };

  return { outputKind, onwardOfOutput, onwardOfInput };
}
