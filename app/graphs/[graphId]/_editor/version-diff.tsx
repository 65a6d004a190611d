'use client';
import { useEffect, useId, useState } from 'react';
import { trpc } from '../../../_lib/trpc';
import { useDiffHighlight, type VersionDiff } from './diff-highlight-store';
import styles from './run-save.module.css';
import sharing from './sharing.module.css';
import { describeError } from './use-save';

export interface CompareRequest {
  from: number;
  to: number;
}

const groups = [
  { sign: '+', title: 'Added', className: sharing.added },
  { sign: '-', title: 'Removed', className: sharing.removed },
  { sign: '~', title: 'Changed', className: sharing.changed },
] as const;

/** The summary lines of a diff by their sign: added (+), removed (-), changed (~). */
export function groupSummary(summary: readonly string[]): Record<'+' | '-' | '~', string[]> {
  const out: Record<'+' | '-' | '~', string[]> = { '+': [], '-': [], '~': [] };
  for (const line of summary) {
    const sign = line[0];
    if (sign === '+' || sign === '-' || sign === '~') out[sign].push(line.slice(2));
    else out['~'].push(line);
  }
  return out;
}

/**
 * Compare two versions: pick them (or use "Compare with previous" on a version), see graphs.diff's
 * summary grouped, and the nodes added or changed in the newer one marked on the canvas until dismissed.
 */
export function VersionCompare({ graphId, numbers, request }: { graphId: string; numbers: number[]; request: CompareRequest | undefined }) {
  const id = useId();
  const [from, setFrom] = useState<number | undefined>();
  const [to, setTo] = useState<number | undefined>();
  const [diff, setDiff] = useState<VersionDiff>();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const highlighted = useDiffHighlight((s) => (s.highlight?.graphId === graphId && diff && s.highlight.from === diff.from && s.highlight.to === diff.to ? true : false));

  const compare = async (a: number, b: number) => {
    setBusy(true);
    setFailure(undefined);
    try {
      const result = await trpc.graphs.diff.query({ graphId, from: a, to: b });
      setDiff(result);
      useDiffHighlight.getState().show(graphId, result);
    } catch (error) {
      setFailure(`Could not compare: ${describeError(error).message}`);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (!request) return;
    setFrom(request.from);
    setTo(request.to);
    void compare(request.from, request.to);
    // A new request (a click on "Compare with previous") compares at once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [request]);

  const a = from ?? numbers[1] ?? numbers[0];
  const b = to ?? numbers[0];
  const lines = diff ? groupSummary(diff.summary) : undefined;
  const select = (label: string, value: number | undefined, set: (n: number) => void) => (
    <label className={sharing.row}>
      {label}
      <select className={styles.select} value={value ?? ''} onChange={(e) => set(Number(e.target.value))}>
        {numbers.map((n) => (
          <option key={n} value={n}>
            v{n}
          </option>
        ))}
      </select>
    </label>
  );

  if (numbers.length < 2) return null;
  return (
    <section className={sharing.diff} aria-labelledby={`${id}-title`} data-testid="version-compare">
      <h4 id={`${id}-title`}>Compare versions</h4>
      <div className={sharing.row}>
        {select('From', a, setFrom)}
        {select('to', b, setTo)}
        <button type="button" className={styles.button} disabled={busy || a === undefined || b === undefined || a === b} onClick={() => a !== undefined && b !== undefined && void compare(a, b)}>
          Compare
        </button>
      </div>
      {failure ? (
        <p role="alert" className={sharing.problem}>
          {failure}
        </p>
      ) : null}
      {diff && lines ? (
        <div data-testid="version-diff" role="region" aria-label={`Changes from version ${diff.from} to version ${diff.to}`}>
          {diff.summary.length === 0 ? <p className={sharing.muted}>No differences.</p> : null}
          {groups.map((g) =>
            lines[g.sign].length > 0 ? (
              <div key={g.sign}>
                <h4>
                  {g.title} ({lines[g.sign].length})
                </h4>
                <ul className={`${sharing.diffLines} ${g.className}`}>
                  {lines[g.sign].map((line, i) => (
                    <li key={i}>{line}</li>
                  ))}
                </ul>
              </div>
            ) : null,
          )}
          <p className={sharing.muted}>
            {highlighted ? 'Added and changed nodes are marked on the canvas where it shows them; removed nodes are listed above.' : null}
          </p>
          <div className={sharing.row}>
            {highlighted ? (
              <button type="button" className={styles.button} onClick={() => useDiffHighlight.getState().clear()}>
                Clear the marks on the canvas
              </button>
            ) : (
              <button type="button" className={styles.button} onClick={() => useDiffHighlight.getState().show(graphId, diff)}>
                Mark on the canvas
              </button>
            )}
          </div>
        </div>
      ) : null}
    </section>
  );
}
