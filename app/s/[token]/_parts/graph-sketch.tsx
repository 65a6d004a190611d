'use client';
import { paramText, sketchBox, sketchLayout, type SharedDocument } from './shared-document';
import styles from './share.module.css';

/** A small, read-only diagram of the graph: a box per node at its saved position, a line per edge. */
export function GraphSketch({ doc }: { doc: SharedDocument }) {
  const { boxes, viewBox } = sketchLayout(doc);
  const at = new Map(boxes.map((b) => [b.id, b]));
  return (
    <svg className={styles.sketch} viewBox={viewBox} role="img" aria-label={`Diagram of the graph: ${doc.nodes.length} nodes, ${doc.edges.length} connections`}>
      {doc.edges.map((e, i) => {
        const a = at.get(e.from.node);
        const b = at.get(e.to.node);
        if (!a || !b) return null;
        const x1 = a.x + sketchBox.width;
        const y1 = a.y + sketchBox.height / 2;
        const x2 = b.x;
        const y2 = b.y + sketchBox.height / 2;
        const bend = Math.max(40, Math.abs(x2 - x1) / 2);
        return <path key={i} className={styles.sketchEdge} d={`M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`} />;
      })}
      {boxes.map((b) => (
        <g key={b.id}>
          <rect className={styles.sketchNode} x={b.x} y={b.y} width={sketchBox.width} height={sketchBox.height} rx={6} />
          <text className={styles.sketchText} x={b.x + 10} y={b.y + 27}>
            {b.title.length > 22 ? `${b.title.slice(0, 21)}…` : b.title}
          </text>
        </g>
      ))}
    </svg>
  );
}

/** Every node with its params, as a list (what the diagram shows, readable by everyone); images by the file names in `imageNames`. */
export function NodeList({ doc, imageNames }: { doc: SharedDocument; imageNames?: ReadonlyMap<string, string> }) {
  if (doc.nodes.length === 0) return <p className="muted">This graph has no nodes.</p>;
  return (
    <ul className={styles.nodes} aria-label="Nodes">
      {doc.nodes.map((n) => {
        const params = Object.entries(n.params);
        return (
          <li key={n.id} className="card" data-node={n.id}>
            <strong>{n.label ?? n.type}</strong> <code>{n.id}</code>
            {n.label ? <div className="muted">{n.type}</div> : null}
            {params.length > 0 ? (
              <dl className={styles.nodeParams}>
                {params.map(([name, value]) => (
                  <div key={name} style={{ display: 'contents' }}>
                    <dt>{name}</dt>
                    <dd title={typeof value === 'string' ? value : undefined}>{paramText(value, imageNames)}</dd>
                  </div>
                ))}
              </dl>
            ) : (
              <div className="muted">default params</div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
