'use client';
import { fullTime, isoTime } from '../../../_components/format';
import { GraphSketch, NodeList } from './graph-sketch';
import { OutputGallery } from './output-gallery';
import { readSharedDocument } from './shared-document';
import type { OpenedView } from './shared-link';
import styles from './share.module.css';

/** The file URL of a view link's outputs (no account needed: the token is the permission). */
export const sharedFileUrl = (token: string, sha256: string) => `/api/shares/${encodeURIComponent(token)}/files/${encodeURIComponent(sha256)}`;

/** A view link: the graph read-only (diagram and node list) and its latest successful run's outputs. */
export function ViewLink({ token, share }: { token: string; share: OpenedView }) {
  const doc = readSharedDocument(share.document);
  const latest = share.latestRun;
  const imageNames = new Map(share.imageNames.map((i) => [i.sha256, i.fileName]));
  return (
    <article aria-labelledby="share-title" data-testid="share-view">
      <h1 id="share-title">{share.name}</h1>
      <p className={styles.meta}>
        Version {share.version} · read-only{share.description ? ` · ${share.description}` : ''}
      </p>
      <section className={styles.section} aria-labelledby="share-outputs">
        <h2 id="share-outputs">Latest outputs</h2>
        {latest ? (
          <>
            <p className="muted">
              From the latest successful run
              {latest.finishedAt ? (
                <>
                  , finished <time dateTime={isoTime(latest.finishedAt)}>{fullTime(latest.finishedAt)}</time>
                </>
              ) : null}
              .
            </p>
            <OutputGallery outputs={latest.outputs} order={doc.outputs.map((o) => o.name)} fileUrl={(sha) => sharedFileUrl(token, sha)} label="Latest outputs" />
          </>
        ) : (
          <p className="muted">This graph has not run successfully yet.</p>
        )}
      </section>
      <section className={styles.section} aria-labelledby="share-graph">
        <h2 id="share-graph">Graph</h2>
        {doc.inputs.length > 0 || doc.outputs.length > 0 ? (
          <p className="muted">
            {doc.inputs.length > 0 ? `Takes ${doc.inputs.map((i) => `${i.name} (${i.kind})`).join(', ')}. ` : ''}
            {doc.outputs.length > 0 ? `Returns ${doc.outputs.map((o) => `${o.name} (${o.kind})`).join(', ')}.` : ''}
          </p>
        ) : null}
        <GraphSketch doc={doc} />
        <NodeList doc={doc} imageNames={imageNames} />
      </section>
    </article>
  );
}
