import { z } from 'zod';
import { defineNode } from '../define';
import { port } from '../ports';

/**
 * A point a wire passes through, to route it on the canvas. It carries whatever feeds it, with that
 * kind (validation resolves it and checks what it feeds), and costs nothing: the engine passes the
 * value on without running anything, and what reads it is cached as if wired to the source directly.
 */
export const rerouteNode = defineNode({
  type: 'util.reroute',
  version: 1,
  title: 'Reroute',
  category: 'util',
  description: 'A point to route a wire through; passes on whatever feeds it, of the same kind.',
  inputs: { value: port.any() },
  params: z.object({}),
  outputs: { value: port.sameAs('value') },
  passThrough: true,
  run: ({ inputs }) => ({ value: inputs.value }),
});
