'use client';
import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type PointerEvent as ReactPointerEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ImageSummary, OutputSummary } from '../../../../server/runs/wire-events';
import { useGraphStore } from './graph-store';
import styles from './run-save.module.css';
import { RunDownloads } from './run-downloads';
import { runFileUrl, useRunStore } from './run-store';

/** One image the viewer can show: a run output (full PNG + preview) or a live preview. */
interface ImageEntry {
  key: string;
  label: string;
  /** The full-size PNG (or the preview when that is all there is yet). */
  full: string;
  preview: string;
  width?: number;
  height?: number;
  role: 'input' | 'output' | 'live';
}

interface ValueEntry {
  key: string;
  label: string;
  text: string;
}

const isImage = (o: OutputSummary): o is ImageSummary => 'artifactId' in o;

function imageEntry(runId: string, key: string, label: string, o: ImageSummary, role: ImageEntry['role']): ImageEntry {
  return { key, label, full: runFileUrl(runId, o.artifactId), preview: runFileUrl(runId, o.preview.artifactId), width: o.width, height: o.height, role };
}

const valueText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

const MIN_ZOOM = 0.1;
const MAX_ZOOM = 32;
const clampZoom = (z: number) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));

/** What the output viewer has to show: the selected node's inputs and outputs, or the graph's outputs. */
function useEntries() {
  const selected = useGraphStore(
    useShallow((s) => {
      const node = s.nodes.find((n) => n.selected);
      return node ? { id: node.id, label: node.data.label ?? node.id, type: node.data.type } : undefined;
    }),
  );
  const edges = useGraphStore((s) => s.edges);
  const { runId, runNodes, outputs, status } = useRunStore(useShallow((s) => ({ runId: s.runId, runNodes: s.nodes, outputs: s.outputs, status: s.status })));
  return useMemo(() => {
    const images: ImageEntry[] = [];
    const values: ValueEntry[] = [];
    if (!runId) return { selected, images, values, runId, status };
    if (selected) {
      for (const edge of edges) {
        if (edge.target !== selected.id || !edge.sourceHandle) continue;
        const upstream = runNodes[edge.source]?.outputs?.[edge.sourceHandle];
        if (upstream && isImage(upstream)) {
          images.push(imageEntry(runId, `in:${edge.targetHandle}`, `Input ${edge.targetHandle ?? ''} (from ${edge.source})`, upstream, 'input'));
        }
      }
      const state = runNodes[selected.id];
      for (const [port, o] of Object.entries(state?.outputs ?? {})) {
        if (isImage(o)) images.push(imageEntry(runId, `out:${port}`, `Output ${port}`, o, 'output'));
        else values.push({ key: `out:${port}`, label: port, text: valueText(o.value) });
      }
      if (!state?.outputs && state?.previewUrl) {
        images.push({ key: 'live', label: 'Live preview', full: state.previewUrl, preview: state.previewUrl, role: 'live' });
      }
    } else {
      for (const [name, o] of Object.entries(outputs)) {
        if (isImage(o)) images.push(imageEntry(runId, `graph:${name}`, name, o, 'output'));
        else values.push({ key: `graph:${name}`, label: name, text: valueText(o.value) });
      }
    }
    return { selected, images, values, runId, status };
  }, [selected, edges, runId, runNodes, outputs, status]);
}

/**
 * The run's images: the graph outputs, or the selected node's inputs and outputs, with
 * zoom (wheel, buttons, + and −), pan (drag, arrow keys) and a before/after slider.
 */
export function OutputViewer() {
  const { selected, images, values, runId, status } = useEntries();
  const ids = useId();
  const [mainKey, setMainKey] = useState<string | undefined>();
  const [compare, setCompare] = useState(false);
  const [beforeKey, setBeforeKey] = useState<string | undefined>();
  const [split, setSplit] = useState(50);
  const [view, setView] = useState({ zoom: 1, x: 0, y: 0 });
  const zoom = view.zoom;
  const viewportRef = useRef<HTMLDivElement>(null);
  const drag = useRef<{ id: number; x: number; y: number } | undefined>(undefined);

  const outputsOnly = images.filter((i) => i.role !== 'input');
  const main = images.find((i) => i.key === mainKey) ?? outputsOnly[0] ?? images[0];
  // "Before" defaults to the node's first input, else another image.
  const defaultBefore = images.find((i) => i.role === 'input' && i.key !== main?.key) ?? images.find((i) => i.key !== main?.key);
  const before = images.find((i) => i.key === beforeKey && i.key !== main?.key) ?? defaultBefore;
  const comparing = compare && main !== undefined && before !== undefined;

  const resetView = useCallback(() => setView({ zoom: 1, x: 0, y: 0 }), []);
  const panBy = (dx: number, dy: number) => setView((v) => ({ ...v, x: v.x + dx, y: v.y + dy }));
  // A new selection starts from the defaults.
  useEffect(() => {
    setMainKey(undefined);
    setBeforeKey(undefined);
    resetView();
  }, [selected?.id, runId, resetView]);

  /** Zooms by `factor` keeping the viewport point (mx, my) (relative to its centre) in place. */
  const zoomAt = useCallback((factor: number, mx = 0, my = 0) => {
    setView((v) => {
      const next = clampZoom(v.zoom * factor);
      const ratio = next / v.zoom;
      return { zoom: next, x: mx - ratio * (mx - v.x), y: my - ratio * (my - v.y) };
    });
  }, []);

  useEffect(() => {
    const el = viewportRef.current;
    if (!el) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = el.getBoundingClientRect();
      const mx = event.clientX - rect.left - rect.width / 2;
      const my = event.clientY - rect.top - rect.height / 2;
      zoomAt(Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.0015)), mx, my);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [zoomAt, main !== undefined]);

  const onKeyDown = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? 120 : 40;
    const moves: Record<string, [number, number]> = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      panBy(move[0], move[1]);
    } else if (event.key === '+' || event.key === '=') {
      event.preventDefault();
      zoomAt(1.25);
    } else if (event.key === '-' || event.key === '_') {
      event.preventDefault();
      zoomAt(0.8);
    } else if (event.key === '0') {
      event.preventDefault();
      resetView();
    } else if (comparing && (event.key === '[' || event.key === ']')) {
      event.preventDefault();
      setSplit((s) => Math.min(100, Math.max(0, s + (event.key === ']' ? 5 : -5))));
    }
  };
  const onPointerDown = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    drag.current = { id: event.pointerId, x: event.clientX, y: event.clientY };
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: ReactPointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.id !== event.pointerId) return;
    const dx = event.clientX - d.x;
    const dy = event.clientY - d.y;
    drag.current = { ...d, x: event.clientX, y: event.clientY };
    panBy(dx, dy);
  };
  const onPointerUp = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (drag.current?.id === event.pointerId) drag.current = undefined;
  };

  const transform = `translate(${view.x}px, ${view.y}px) scale(${zoom})`;
  const pixelated = zoom >= 4 ? styles.pixelated : '';
  const heading = selected ? `${selected.label} (${selected.type})` : 'Graph outputs';

  if (!runId) {
    return (
      <section aria-label="Output">
        <h3>{heading}</h3>
        <p className="muted">Run the graph to see its outputs here. Select a node to see its own inputs and outputs.</p>
      </section>
    );
  }

  return (
    <section aria-label="Output" data-testid="output-viewer">
      <h3>{heading}</h3>
      {images.length === 0 && values.length === 0 ? (
        <p className="muted">
          {status === 'queued' || status === 'running' || status === 'starting'
            ? 'Waiting for results…'
            : selected
              ? 'This node has no outputs from the last run.'
              : 'The last run has no graph outputs. Select a node to see its outputs.'}
        </p>
      ) : null}
      {images.length > 0 && main ? (
        <>
          {images.length > 1 ? (
            <ul className={styles.thumbs} aria-label="Images">
              {images.map((entry) => (
                <li key={entry.key}>
                  <button type="button" className={styles.thumb} aria-pressed={entry.key === main.key} onClick={() => setMainKey(entry.key)} title={entry.label}>
                    {/* eslint-disable-next-line @next/next/no-img-element */}
                    <img src={entry.preview} alt="" />
                    <span>{entry.label}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          <div className={styles.viewerControls}>
            <button type="button" className={`${styles.button} ${styles.icon}`} onClick={() => zoomAt(0.8)} aria-label="Zoom out" disabled={zoom <= MIN_ZOOM}>
              −
            </button>
            <span aria-live="polite" aria-atomic="true" style={{ minWidth: '3.5rem', textAlign: 'center' }}>
              {Math.round(zoom * 100)}%
            </span>
            <button type="button" className={`${styles.button} ${styles.icon}`} onClick={() => zoomAt(1.25)} aria-label="Zoom in" disabled={zoom >= MAX_ZOOM}>
              +
            </button>
            <button type="button" className={styles.button} onClick={resetView}>
              Fit
            </button>
            {images.length > 1 ? (
              <button type="button" className={styles.button} aria-pressed={compare} onClick={() => setCompare((c) => !c)}>
                Compare
              </button>
            ) : null}
            <a href={main.full} target="_blank" rel="noreferrer">
              Full size
            </a>
            {main.role !== 'live' ? (
              <a href={main.full} download={`${main.label.replace(/[^A-Za-z0-9_.-]+/g, '-')}.png`} aria-label={`Download ${main.label}`}>
                Download
              </a>
            ) : null}
          </div>
          {comparing && before ? (
            <div className={styles.viewerControls}>
              <label htmlFor={`${ids}-before`}>Before</label>
              <select id={`${ids}-before`} className={styles.select} value={before.key} onChange={(e) => setBeforeKey(e.target.value)}>
                {images
                  .filter((i) => i.key !== main.key)
                  .map((i) => (
                    <option key={i.key} value={i.key}>
                      {i.label}
                    </option>
                  ))}
              </select>
              <span className="muted">After: {main.label}</span>
            </div>
          ) : null}
          <div
            ref={viewportRef}
            className={styles.viewport}
            tabIndex={0}
            role="group"
            aria-roledescription="image viewer"
            aria-label={`${comparing && before ? `${before.label} compared with ${main.label}` : main.label}. Arrow keys pan, plus and minus zoom, 0 fits${comparing ? ', [ and ] move the comparison' : ''}.`}
            data-testid="image-viewport"
            onKeyDown={onKeyDown}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerCancel={onPointerUp}
            onDoubleClick={resetView}
          >
            {comparing && before ? (
              <>
                <div className={`${styles.layer} ${pixelated}`} style={{ transform }}>
                  {/* eslint-disable-next-line @next/next/no-img-element */}
                  <img src={before.full} alt={`Before: ${before.label}`} draggable={false} />
                </div>
                <div className={styles.layer} style={{ clipPath: `inset(0 0 0 ${split}%)` }}>
                  <div className={`${styles.layer} ${pixelated}`} style={{ transform }}>
                    {/* eslint-disable-next-line @next/next/no-img-element */}
                    <img src={main.full} alt={`After: ${main.label}`} draggable={false} />
                  </div>
                </div>
                <div className={styles.divider} style={{ left: `calc(${split}% - 1px)` }} aria-hidden="true" />
                <span className={styles.cornerLabel} style={{ left: '0.25rem' }} aria-hidden="true">
                  Before
                </span>
                <span className={styles.cornerLabel} style={{ right: '0.25rem' }} aria-hidden="true">
                  After
                </span>
              </>
            ) : (
              <div className={`${styles.layer} ${pixelated}`} style={{ transform }}>
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img src={main.full} alt={main.label} draggable={false} />
              </div>
            )}
          </div>
          {comparing ? (
            <input
              type="range"
              className={styles.range}
              min={0}
              max={100}
              step={1}
              value={split}
              onChange={(e) => setSplit(Number(e.target.value))}
              aria-label="Comparison position"
              aria-valuetext={`${split}% before, ${100 - split}% after`}
            />
          ) : null}
          <p className="muted" style={{ margin: '0.25rem 0' }}>
            {main.label}
            {main.width && main.height ? ` · ${main.width}×${main.height}` : ''}
          </p>
        </>
      ) : null}
      {values.length > 0 ? (
        <dl className={styles.values}>
          {values.map((v) => (
            <div key={v.key} style={{ display: 'contents' }}>
              <dt>{v.label}</dt>
              <dd>{v.text}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <RunDownloads />
    </section>
  );
}
