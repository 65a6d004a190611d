import { describe, expect, it } from 'vitest';
import { nodeCatalogue } from '../../../../nodes/catalogue';
import { builtinRegistry } from '../../../../nodes/registry';
import { catalogueItem } from './catalogue-store';
import type { PixelEdge, PixelNode } from './document-flow';
import type { IoEdge } from './graph-io';
import { connectedPorts, diffusionModelOf, paramContextKey, parseParamContextKey, type ParamCanvas } from './node-model';

const byType = new Map(nodeCatalogue(builtinRegistry).map((e) => [e.type, catalogueItem(e)]));
const node = (id: string, type: string, params: Record<string, unknown> = {}): PixelNode => ({ id, type: 'pixel', position: { x: 0, y: 0 }, data: { type, params } });
const edge = (source: string, sourceHandle: string, target: string, targetHandle: string): PixelEdge => ({ id: `${source}.${sourceHandle}->${target}.${targetHandle}`, source, sourceHandle, target, targetHandle });
const canvas = (nodes: PixelNode[], edges: PixelEdge[] = [], ioEdges: IoEdge[] = []): ParamCanvas => ({ nodes, edges, ioEdges });

describe('diffusionModelOf', () => {
  it('is the node\'s own model param (or its default) when nothing is wired', () => {
    expect(diffusionModelOf(canvas([node('s', 'diffusion.sample', { modelName: 'sd-turbo' })]), 's', byType)).toBe('sd-turbo');
    expect(diffusionModelOf(canvas([node('s', 'diffusion.sample')]), 's', byType)).toBe('fashion-unet');
  });

  it('follows a wired model input to the Load model node, before the node\'s own param', () => {
    const c = canvas([node('m', 'diffusion.load-model', { modelName: 'sd-turbo' }), node('s', 'diffusion.sample', { modelName: 'fashion-unet' })], [edge('m', 'model', 's', 'model')]);
    expect(diffusionModelOf(c, 's', byType)).toBe('sd-turbo');
  });

  it('follows a wired latent to the node that made it, as far as it goes', () => {
    const c = canvas(
      [node('m', 'diffusion.load-model', { modelName: 'sd-turbo' }), node('n', 'diffusion.noise'), node('st', 'diffusion.step'), node('d', 'diffusion.decode')],
      [edge('m', 'model', 'n', 'model'), edge('n', 'latent', 'st', 'latent'), edge('st', 'latent', 'd', 'latent')],
    );
    expect(diffusionModelOf(c, 'st', byType)).toBe('sd-turbo');
    expect(diffusionModelOf(c, 'd', byType)).toBe('sd-turbo');
  });

  it('does not know a model a graph input brings, nor one of a node without a model', () => {
    const fromInput: IoEdge = { id: 'i', source: 'input:x', sourceHandle: 'value', target: 's', targetHandle: 'model', data: {} };
    expect(diffusionModelOf(canvas([node('s', 'diffusion.sample')], [], [fromInput]), 's', byType)).toBeUndefined();
    expect(diffusionModelOf(canvas([node('st', 'diffusion.step')]), 'st', byType)).toBeUndefined();
    expect(diffusionModelOf(canvas([node('b', 'image.blur')]), 'b', byType)).toBeUndefined();
  });
});

describe('param context', () => {
  it('lists the connected ports, from nodes and graph inputs but not param handles, with the model, as one key', () => {
    const c = canvas(
      [node('m', 'diffusion.load-model'), node('s', 'diffusion.sample')],
      [edge('m', 'model', 's', 'model')],
      [
        { id: 'a', source: 'input:a', sourceHandle: 'value', target: 's', targetHandle: 'latent', data: {} },
        { id: 'b', source: 'input:b', sourceHandle: 'value', target: 's', targetHandle: 'param:seed', data: { param: 'seed' } },
      ],
    );
    expect(connectedPorts(c, 's')).toEqual(['latent', 'model']);
    const key = paramContextKey(c, 's', byType);
    expect(parseParamContextKey(key)).toEqual({ connected: new Set(['latent', 'model']), model: 'fashion-unet' });
    expect(parseParamContextKey(paramContextKey(canvas([node('b', 'image.blur')]), 'b', byType))).toEqual({ connected: new Set(), model: undefined });
  });
});
