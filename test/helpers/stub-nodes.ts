import { z } from 'zod';
import { defineNode } from '../../nodes/define';
import { NodeError } from '../../nodes/errors';
import { NodeRegistry } from '../../nodes/node-registry';
import { port } from '../../nodes/ports';

/** Stub nodes for engine tests: small, deterministic, observable. Counts how often each ran, by node id. */
export const calls = new Map<string, number>();
const count = (id: string) => calls.set(id, (calls.get(id) ?? 0) + 1);

export const constNode = defineNode({
  type: 'test.const',
  version: 1,
  title: 'Constant',
  category: 'test',
  inputs: {},
  params: z.object({ value: z.number().min(-1000).max(1000).default(0) }),
  outputs: { value: port.number() },
  run({ params, ctx }) {
    count(ctx.nodeId);
    return { value: params.value };
  },
});

export const addNode = defineNode({
  type: 'test.add',
  version: 1,
  title: 'Add',
  category: 'test',
  inputs: { a: port.number(), b: port.number({ optional: true }) },
  params: z.object({ offset: z.number().default(0) }),
  outputs: { sum: port.number() },
  run({ inputs, params, ctx }) {
    count(ctx.nodeId);
    return { sum: inputs.a + (inputs.b ?? 0) + params.offset };
  },
});

export const toTextNode = defineNode({
  type: 'test.to-text',
  version: 1,
  title: 'To text',
  category: 'test',
  inputs: { value: port.number() },
  params: z.object({}),
  outputs: { text: port.text() },
  run({ inputs }) {
    return { text: String(inputs.value) };
  },
});

export const failNode = defineNode({
  type: 'test.fail',
  version: 1,
  title: 'Fail',
  category: 'test',
  inputs: { value: port.number({ optional: true }) },
  params: z.object({ crash: z.boolean().default(false) }),
  outputs: { value: port.number() },
  run({ params }): { value: number } {
    if (params.crash) throw new TypeError('boom: something broke inside');
    throw new NodeError('test_failure', 'this node always fails', { port: 'value' });
  },
});

/** Waits until every gate node with the same group has started, then resolves: proves branches overlap. */
const gates = new Map<string, { arrived: number; release: () => void; opened: Promise<void> }>();
export const gateNode = defineNode({
  type: 'test.gate',
  version: 1,
  title: 'Gate',
  category: 'test',
  inputs: {},
  params: z.object({ group: z.string().default('g'), size: z.number().int().min(1).default(2) }),
  outputs: { value: port.number() },
  async run({ params, ctx }) {
    let gate = gates.get(params.group);
    if (!gate) {
      let release!: () => void;
      const opened = new Promise<void>((r) => (release = r));
      gate = { arrived: 0, release, opened };
      gates.set(params.group, gate);
    }
    gate.arrived++;
    if (gate.arrived >= params.size) gate.release();
    await Promise.race([gate.opened, abortPromise(ctx.signal)]);
    return { value: gate.arrived };
  },
});

/** Runs until its run is cancelled, reporting progress once; it never finishes by itself. */
export const hangNode = defineNode({
  type: 'test.hang',
  version: 1,
  title: 'Hang',
  category: 'test',
  inputs: {},
  params: z.object({}),
  outputs: { value: port.number() },
  async run({ ctx }) {
    ctx.progress(0.5, 'waiting for cancel');
    await abortPromise(ctx.signal);
    return { value: 0 };
  },
});

function abortPromise(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

export const stubRegistry = new NodeRegistry([constNode, addNode, toTextNode, failNode, gateNode, hangNode]);
