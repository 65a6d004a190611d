import { describe, expect, it } from 'vitest';
import { catalogueItem } from './catalogue-store';
import { acceptsLooseEnd, compatibleHandle, connectionTo, type LooseEnd } from './connect-to-new';
import type { PaletteChoice, PaletteEntry } from './palette-entries';

const item = (type: string, inputs: { name: string; kind: string }[], outputs: { name: string; kind: string }[]) =>
  catalogueItem({ type, title: type, category: 'x', version: 1, inputs, outputs, params: { type: 'object', properties: {} } } as never);
const blur: PaletteChoice = { kind: 'node', item: item('image.blur', [{ name: 'image', kind: 'image' }], [{ name: 'image', kind: 'image' }]) };
const text: PaletteChoice = { kind: 'node', item: item('text.draw', [{ name: 'text', kind: 'text' }], [{ name: 'image', kind: 'image' }]) };
const fromOutput: LooseEnd = { nodeId: 'load', handleId: 'image', side: 'source', kind: 'image' };
const fromInput: LooseEnd = { nodeId: 'save', handleId: 'image', side: 'target', kind: 'image' };

describe('a connection dropped on empty canvas', () => {
  it('offers nodes with a compatible port and the matching graph port', () => {
    expect(compatibleHandle(blur, fromOutput)).toBe('image');
    expect(compatibleHandle(text, fromOutput)).toBeUndefined();
    expect(compatibleHandle(text, fromInput)).toBe('image');
    expect(compatibleHandle({ kind: 'graph-port', side: 'output' }, fromOutput)).toBe('value');
    expect(compatibleHandle({ kind: 'graph-port', side: 'input' }, fromOutput)).toBeUndefined();
    const entry = (choice: PaletteChoice) => ({ key: 'k', title: 't', type: 't', category: 'c', choice }) satisfies PaletteEntry;
    expect([blur, text].map(entry).filter(acceptsLooseEnd(fromOutput)).map((e) => e.choice)).toEqual([blur]);
  });

  it('connects in the direction it was dragged', () => {
    expect(connectionTo(fromOutput, 'new', 'image')).toEqual({ source: 'load', sourceHandle: 'image', target: 'new', targetHandle: 'image' });
    expect(connectionTo(fromInput, 'new', 'out')).toEqual({ source: 'new', sourceHandle: 'out', target: 'save', targetHandle: 'image' });
  });
});
