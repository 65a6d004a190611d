import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { catalogueEntry, zCatalogueEntry } from '../../nodes/catalogue';
import { defineNode, NodeDefinitionError, outputKind } from '../../nodes/define';
import { canConnect, isPortValue, port, portKinds, type PortSpec } from '../../nodes/ports';
import { rerouteNode } from '../../nodes/util/reroute.node';
import { showNode } from '../../nodes/util/show.node';
import { gradient } from '../helpers/images';

const declare = (inputs: Record<string, PortSpec>, outputs: Record<string, PortSpec>, passThrough = false) =>
  defineNode({ type: 'test.generic', version: 1, title: 'Generic', category: 'test', inputs, params: z.object({}), outputs, passThrough, run: () => ({}) as never });

describe('any ports', () => {
  it('an any input takes every kind; any is not a kind a value or a graph port has', () => {
    for (const kind of portKinds) expect(canConnect(kind, 'any')).toBe(true);
    expect(portKinds).not.toContain('any');
    expect(isPortValue('any', 'text')).toBe(true);
    expect(isPortValue('any', gradient(4, 4))).toBe(true);
    expect(isPortValue('any', undefined)).toBe(false);
  });

  it('defineNode takes an any output only as sameAs a required any input', () => {
    expect(() => declare({ value: port.any() }, { value: port.sameAs('value') })).not.toThrow();
    expect(() => declare({ value: port.any() }, { value: port.any() })).toThrow(/must be port.sameAs/);
    expect(() => declare({ value: port.any({ optional: true }) }, { value: port.sameAs('value') })).toThrow(/must be port.sameAs/);
    expect(() => declare({ image: port.image() }, { value: port.sameAs('image') })).toThrow(NodeDefinitionError);
    expect(() => declare({ value: port.any() }, { value: port.sameAs('other') })).toThrow(/must be port.sameAs/);
    expect(() => declare({ value: port.any() }, { image: { ...port.image(), sameAs: 'value' } })).toThrow(/sameAs is for any outputs only/);
  });

  it('a pass-through node has an input for every output', () => {
    expect(() => declare({ value: port.any() }, { out: port.sameAs('value') }, true)).toThrow(/passes through, but output "out"/);
  });

  it('Reroute and Show value are in the catalogue with an any input and a sameAs output, and the catalogue schema accepts them', () => {
    for (const def of [rerouteNode, showNode]) {
      const entry = catalogueEntry(def);
      expect(entry.inputs).toEqual([{ name: 'value', kind: 'any', optional: false }]);
      expect(entry.outputs).toEqual([{ name: 'value', kind: 'any', optional: false, sameAs: 'value' }]);
      expect(zCatalogueEntry.parse(JSON.parse(JSON.stringify(entry)))).toEqual(entry);
      // The declared kind of an any output is resolved per graph, not declared.
      expect(outputKind(def, 'value')).toBeUndefined();
    }
  });
});
