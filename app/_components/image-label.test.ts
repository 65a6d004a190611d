import { describe, expect, it } from 'vitest';
import { imageLabel, isSha256, shortHash } from './image-label';

const sha = '3f2a9c1b7d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8';

describe('imageLabel', () => {
  it('names an image by its file name when one is known', () => {
    expect(imageLabel(sha, 'holiday photo.png')).toBe('holiday photo.png');
    expect(imageLabel(sha, 'scan.png', 'uploaded image')).toBe('scan.png');
  });

  it('falls back to the noun and a short hash, never the whole hash', () => {
    expect(imageLabel(sha, null)).toBe('image 3f2a9c1b7d4e…');
    expect(imageLabel(sha, undefined, 'uploaded image')).toBe('uploaded image 3f2a9c1b7d4e…');
    expect(imageLabel(sha, '   ')).toBe('image 3f2a9c1b7d4e…');
  });

  it('shortens only long values, and knows a hash from other text', () => {
    expect(shortHash(sha)).toBe('3f2a9c1b7d4e…');
    expect(shortHash('art_123')).toBe('art_123');
    expect(isSha256(sha)).toBe(true);
    expect(isSha256(sha.toUpperCase())).toBe(false);
    expect(isSha256('photo.png')).toBe(false);
    expect(isSha256(42)).toBe(false);
  });
});
