import { z } from 'zod';

/** A `#RRGGBB` or `#RRGGBBAA` colour param. */
export const hexColourPattern = /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/;

/** Zod schema for a hex colour param, rendered as a colour picker. */
export function zHexColour(fallback: string) {
  return z.string().regex(hexColourPattern, 'expected #RRGGBB or #RRGGBBAA').default(fallback).meta({ widget: 'color' });
}

export interface Rgba {
  r: number;
  g: number;
  b: number;
  /** Alpha 0..255. */
  a: number;
}

/** Parses `#RRGGBB` / `#RRGGBBAA` (alpha defaults to opaque). Throws RangeError on anything else. */
export function parseHexColour(hex: string): Rgba {
  if (!hexColourPattern.test(hex)) throw new RangeError(`not a hex colour: ${hex}`);
  const v = (i: number) => parseInt(hex.slice(i, i + 2), 16);
  return { r: v(1), g: v(3), b: v(5), a: hex.length === 9 ? v(7) : 255 };
}

/** SVG paint attributes (`fill`/`stroke` plus its opacity) for a hex colour. */
export function svgPaint(attr: 'fill' | 'stroke', hex: string): string {
  const { r, g, b, a } = parseHexColour(hex);
  const opacity = a === 255 ? '' : ` ${attr}-opacity="${(a / 255).toFixed(4)}"`;
  return `${attr}="rgb(${r},${g},${b})"${opacity}`;
}
