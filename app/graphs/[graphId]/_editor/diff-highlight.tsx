'use client';
import { highlightCss, useDiffHighlight } from './diff-highlight-store';
import styles from './run-save.module.css';

/**
 * Marks the nodes of the current version comparison on the canvas (a style sheet keyed by node id),
 * with a dismissible note in the toolbar saying which versions are compared.
 */
export function DiffHighlightBar({ graphId }: { graphId: string }) {
  const highlight = useDiffHighlight((s) => s.highlight);
  if (!highlight || highlight.graphId !== graphId) return null;
  const { from, to, added, changed, removed } = highlight;
  return (
    <span className={styles.group} data-testid="diff-highlight-bar">
      <style data-testid="diff-highlight">{highlightCss(highlight)}</style>
      <span className={styles.badge} title={removed.length ? `Removed: ${removed.map((n) => n.id).join(', ')}` : undefined}>
        v{from} → v{to}: {added.length} added, {changed.length} changed, {removed.length} removed
      </span>
      <button type="button" className={styles.button} onClick={() => useDiffHighlight.getState().clear()} aria-label={`Dismiss the comparison of version ${from} with version ${to}`}>
        Dismiss
      </button>
    </span>
  );
}
