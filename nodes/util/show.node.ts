import { z } from 'zod';
import { defineNode } from '../define';
import { port } from '../ports';

/**
 * Shows a value on the canvas after a run (text and numbers as text, boxes and json pretty-printed,
 * images as a preview), like ComfyUI's Preview Any. It takes every kind and passes the value on
 * unchanged, so it can sit on a wire as well as at its end; the editor draws its output.
 */
export const showNode = defineNode({
  type: 'util.show',
  version: 1,
  title: 'Show value',
  category: 'util',
  description: 'Shows whatever reaches it on the canvas after a run (text, number, boxes, json, image), and passes it on.',
  inputs: { value: port.any() },
  params: z.object({}),
  outputs: { value: port.sameAs('value') },
  passThrough: true,
  run: ({ inputs }) => ({ value: inputs.value }),
});
