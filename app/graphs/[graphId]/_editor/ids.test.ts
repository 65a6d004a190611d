import { describe, expect, it } from 'vitest';
import { zNodeId } from '../../../../engine/graph-document';
import { nextNodeId, randomToken, typeSlug } from './ids';

describe('node ids', () => {
  it('are the type slug and 8 random characters, valid document ids', () => {
    const id = nextNodeId('image.blur', new Set());
    expect(id).toMatch(/^blur-[a-z0-9]{8}$/);
    expect(zNodeId.safeParse(id).success).toBe(true);
    expect(nextNodeId('pipeline.call', new Set(), 'pipe')).toMatch(/^pipe-[a-z0-9]{8}$/);
    expect(typeSlug('x.ünïcode!')).toBe('ncode');
    expect(typeSlug('...')).toBe('node');
  });

  it('do not repeat: 10,000 ids, all different, and never one that is taken', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 10_000; i++) ids.add(nextNodeId('image.blur', ids));
    expect(ids.size).toBe(10_000);
    expect(randomToken(12)).toMatch(/^[a-z0-9]{12}$/);
  });
});
