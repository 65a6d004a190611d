import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineNode, NodeDefinitionError } from '../../nodes/define';
import { NodeRegistry } from '../../nodes/node-registry';
import { defaultMaxLength, isPortValue, port, type PortSpec, type PortValue } from '../../nodes/ports';
import { builtinRegistry } from '../../nodes/registry';
import { startRun } from '../../engine/executor';
import type { RunEvent } from '../../engine/run-events';
import { graph } from '../helpers/graph-builder';
import { gradient } from '../helpers/images';

// Issue 12, item 9: every text and boxes input is bounded by its port's declaration, checked by the engine
// before the node runs (input_too_large naming the port).

const noArtifacts = { put: async () => Promise.reject(new Error('no store')), get: async () => undefined, has: async () => false };

let ran = 0;
const echoNode = defineNode({
  type: 'test.echo',
  version: 1,
  title: 'Echo',
  category: 'test',
  inputs: { text: port.text({ maxLength: 5 }), boxes: port.boxes({ optional: true, maxLength: 2 }) },
  params: z.object({}),
  outputs: { text: port.text() },
  run({ inputs }) {
    ran++;
    return { text: inputs.text };
  },
});
const registry = new NodeRegistry([echoNode]);

const echoGraph = graph([{ id: 'echo', type: 'test.echo' }], [], {
  inputs: [
    { name: 'words', kind: 'text', targets: [{ node: 'echo', port: 'text' }] },
    { name: 'regions', kind: 'boxes', required: false, targets: [{ node: 'echo', port: 'boxes' }] },
  ],
  outputs: [{ name: 'out', kind: 'text', source: { node: 'echo', port: 'text' } }],
});

async function run(document: unknown, inputs: Record<string, PortValue>, reg = registry) {
  const events: RunEvent[] = [];
  const handle = startRun({ registry: reg, document, inputs, services: { artifacts: noArtifacts }, onEvent: (e) => events.push(e) });
  return { result: await handle.result, events };
}

const box = { x: 0, y: 0, width: 1, height: 1 };

describe('input length limits', () => {
  it('runs a node whose inputs are within their ports\' maxLength', async () => {
    const before = ran;
    const { result } = await run(echoGraph, { words: 'hello', regions: [box, box] });
    expect(result.status).toBe('succeeded');
    expect(result.outputs.out).toBe('hello');
    expect(ran).toBe(before + 1);
  });

  it('fails the node with input_too_large naming the port before it runs: text over maxLength characters', async () => {
    const before = ran;
    const { result, events } = await run(echoGraph, { words: 'hello!' });
    expect(result.status).toBe('failed');
    expect(result.errors).toEqual([{ nodeId: 'echo', port: 'text', code: 'input_too_large', message: 'input "text" is too large: 6 characters; the limit is 5' }]);
    expect(events.some((e) => e.type === 'node.failed' && e.error.code === 'input_too_large')).toBe(true);
    expect(ran).toBe(before);
  });

  it('fails on boxes over maxLength items', async () => {
    const { result } = await run(echoGraph, { words: 'ok', regions: [box, box, box] });
    expect(result.errors).toEqual([expect.objectContaining({ nodeId: 'echo', port: 'boxes', code: 'input_too_large' })]);
  });

  it('gives every text and boxes port a bound by default, and only those', () => {
    expect(port.text().maxLength).toBe(defaultMaxLength.text);
    expect(port.boxes({ optional: true }).maxLength).toBe(defaultMaxLength.boxes);
    expect(port.json().maxLength).toBeUndefined();
    for (const def of builtinRegistry.list()) {
      for (const [name, spec] of Object.entries(def.inputs)) {
        if (spec.kind === 'text' || spec.kind === 'boxes') expect(spec.maxLength, `${def.type}.${name}`).toBeGreaterThan(0);
      }
    }
  });

  it('defineNode refuses a bad maxLength, and one on a kind without a length', () => {
    const declare = (spec: PortSpec) =>
      defineNode({ type: 'test.bad', version: 1, title: 'Bad', category: 'test', inputs: { x: spec }, params: z.object({}), outputs: {}, run: () => ({}) });
    expect(() => declare({ kind: 'text', optional: false, maxLength: 0 })).toThrow(NodeDefinitionError);
    expect(() => declare({ kind: 'boxes', optional: false, maxLength: 2.5 })).toThrow(NodeDefinitionError);
    expect(() => declare({ kind: 'text', optional: false })).toThrow(NodeDefinitionError);
    expect(() => declare({ kind: 'number', optional: false, maxLength: 3 })).toThrow(NodeDefinitionError);
  });

  it('bounds what a box carries: labels and polygons', () => {
    expect(isPortValue('boxes', [{ ...box, label: 'x'.repeat(10_000) }])).toBe(true);
    expect(isPortValue('boxes', [{ ...box, label: 'x'.repeat(10_001) }])).toBe(false);
    expect(isPortValue('boxes', [{ ...box, polygon: Array.from({ length: 10_001 }, () => [0, 0]) }])).toBe(false);
  });

  it('image.draw-text refuses 100,000 characters through its text port at once', async () => {
    const doc = graph([{ id: 'draw', type: 'image.draw-text' }], [], {
      inputs: [
        { name: 'photo', kind: 'image', targets: [{ node: 'draw', port: 'image' }] },
        { name: 'caption', kind: 'text', targets: [{ node: 'draw', port: 'text' }] },
      ],
      outputs: [{ name: 'out', kind: 'image', source: { node: 'draw', port: 'image' } }],
    });
    const started = performance.now();
    const { result } = await run(doc, { photo: gradient(64, 48), caption: 'word '.repeat(20_000) }, builtinRegistry);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.errors).toEqual([
      { nodeId: 'draw', port: 'text', code: 'input_too_large', message: `input "text" is too large: 100000 characters; the limit is ${defaultMaxLength.text}` },
    ]);
  });
});
