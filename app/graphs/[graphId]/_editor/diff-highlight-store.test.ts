import { describe, expect, it } from 'vitest';
import { highlightCss, useDiffHighlight, type VersionDiff } from './diff-highlight-store';

const diff = {
  from: 1,
  to: 2,
  nodes: {
    added: [{ id: 'blur_a', type: 'image.blur' }],
    removed: [{ id: 'old', type: 'image.invert' }],
    changed: [
      { id: 'blend', type: 'image.blend', params: [{ param: 'opacity', from: 0.6, to: 0.3 }] },
      { id: 'moved', type: 'image.crop', params: [], movedOnly: true },
    ],
  },
  edges: { added: [], removed: [] },
  inputs: { added: [], removed: [], changed: [] },
  outputs: { added: [], removed: [], changed: [] },
  summary: [],
} as unknown as VersionDiff;

describe('the diff highlight', () => {
  it('marks added and changed nodes, not ones that only moved; removed ones are listed', () => {
    useDiffHighlight.getState().show('g', diff);
    const h = useDiffHighlight.getState().highlight!;
    expect(h).toMatchObject({ added: ['blur_a'], changed: ['blend'], removed: [{ id: 'old', type: 'image.invert' }] });
    useDiffHighlight.getState().clear();
    expect(useDiffHighlight.getState().highlight).toBeUndefined();
  });

  it('writes one rule per kind, with ids quoted for CSS', () => {
    const css = highlightCss({ added: ['a"b'], changed: [] });
    expect(css).toContain('.react-flow__node[data-id="a\\"b"]');
    expect(css).toContain('"added"');
    expect(highlightCss({ added: [], changed: [] })).toBe('');
  });
});
