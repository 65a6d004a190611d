import { describe, expect, it } from 'vitest';
import { inputImageHashes, inputsText, isDone, itemView } from './batch-items';

describe('batch items on the batch page', () => {
  it('shows the first image output of an item', () => {
    const view = itemView({
      id: 'r',
      status: 'succeeded',
      inputs: {},
      error: null,
      outputs: { marked: { kind: 'image', artifactId: 'a', width: 4, height: 3, preview: { artifactId: 'p' } }, n: { kind: 'number', value: 1 } },
    });
    expect(view.image).toMatchObject({ name: 'marked', previewId: 'p' });
    expect(view.value).toBeUndefined();
  });

  it('lists the problems of a failed item', () => {
    const view = itemView({ id: 'r', status: 'failed', inputs: {}, outputs: null, error: { errors: [{ nodeId: 'blur', code: 'x', message: 'broke' }] } });
    expect(view.problems).toEqual(['blur: broke']);
  });

  it('describes inputs briefly and knows when the batch is done', () => {
    expect(inputsText({ photo: 'a'.repeat(64), strength: 0.4 })).toBe('photo=image aaaaaaaaaaaa…, strength=0.4');
    expect(inputsText({ photo: 'a'.repeat(64), mask: 'b'.repeat(64) }, (sha) => (sha.startsWith('a') ? 'cat.png' : null))).toBe('photo=cat.png, mask=image bbbbbbbbbbbb…');
    expect(inputImageHashes({ photo: 'a'.repeat(64), again: 'a'.repeat(64), caption: 'hi', n: 1 })).toEqual(['a'.repeat(64)]);
    expect(isDone({ done: 2, total: 2 })).toBe(true);
    expect(isDone({ done: 1, total: 2 })).toBe(false);
  });
});
