import type { InputKind } from '../../../../nodes/ports';

/** One colour per port kind, mid-tone so the handles read on the light and the dark theme; `any`: a port whose kind follows its wiring, not known yet. */
export const portColours: { [K in InputKind]: string } = {
  image: '#3b82f6',
  mask: '#a855f7',
  text: '#e0a100',
  number: '#10b981',
  boolean: '#ef4444',
  json: '#8b97a8',
  boxes: '#ec4899',
  any: '#94a3b8',
};
