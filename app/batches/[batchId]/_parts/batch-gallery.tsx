'use client';
import Link from 'next/link';
import { useEffect } from 'react';
import { fileUrl } from '../../../_components/format';
import ui from '../../../_components/ui.module.css';
import { useUploadInfoStore } from '../../../graphs/[graphId]/_editor/upload-info-store';
import { inputImageHashes, inputsText, itemView, type BatchRun } from './batch-items';
import styles from './batch.module.css';

/** Every item of a batch in order: its first image output (or value) with a download, and the failures with their errors. */
export function BatchGallery({ runs, graphId }: { runs: BatchRun[]; graphId?: string }) {
  const describe = useInputsText(runs);
  const failed = runs.map((run, i) => ({ run, n: i + 1, view: itemView(run) })).filter((x) => x.run.status === 'failed' || x.run.status === 'interrupted');
  return (
    <>
      <h2>Results</h2>
      <ul className={styles.gallery} aria-label="Batch results">
        {runs.map((run, i) => {
          const { image, value } = itemView(run);
          return (
            <li key={run.id}>
              <figure className={styles.item} data-status={run.status} data-item={i + 1}>
                <div className={styles.thumb}>
                  {image ? (
                    // eslint-disable-next-line @next/next/no-img-element -- previews come from the API
                    <img src={fileUrl(run.id, image.previewId)} alt={`Item ${i + 1}: ${image.name}`} loading="lazy" />
                  ) : value ? (
                    <span>{typeof value.value === 'string' ? value.value : JSON.stringify(value.value)}</span>
                  ) : (
                    <span>{run.status === 'queued' ? 'waiting' : run.status}</span>
                  )}
                </div>
                <figcaption>
                  <div className={styles.caption}>
                    <strong>#{i + 1}</strong>
                    <span className={ui.status} data-status={run.status}>
                      {run.status}
                    </span>
                  </div>
                  <div className="muted" title={describe(run.inputs)}>
                    {describe(run.inputs)}
                  </div>
                  <div className={styles.caption}>
                    {image ? (
                      <a href={fileUrl(run.id, image.artifactId)} download={`${i + 1}-${image.name}.png`} aria-label={`Download item ${i + 1} (${image.name}, PNG)`}>
                        Download
                      </a>
                    ) : null}
                    {graphId ? (
                      <Link href={`/graphs/${encodeURIComponent(graphId)}/runs?run=${encodeURIComponent(run.id)}`} aria-label={`Details of item ${i + 1}`}>
                        Details
                      </Link>
                    ) : null}
                  </div>
                </figcaption>
              </figure>
            </li>
          );
        })}
      </ul>
      {failed.length > 0 && (
        <section aria-labelledby="batch-failures">
          <h2 id="batch-failures">Failures ({failed.length})</h2>
          <ul className={styles.failures}>
            {failed.map(({ run, n, view }) => (
              <li key={run.id} data-item={n}>
                <strong>#{n}</strong> <span className="muted">({describe(run.inputs)})</span>: {view.problems.length > 0 ? view.problems.join('; ') : run.status}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

/** Describes items' inputs with their images' file names (artifacts.content: for a viewer who may use them), asked once per image. */
function useInputsText(runs: BatchRun[]): (inputs: unknown) => string {
  const bySha = useUploadInfoStore((s) => s.bySha);
  const request = useUploadInfoStore((s) => s.request);
  const hashes = [...new Set(runs.flatMap((run) => inputImageHashes(run.inputs)))].join(' ');
  useEffect(() => {
    for (const sha of hashes.split(' ')) if (sha) request(sha);
  }, [hashes, request]);
  return (inputs) =>
    inputsText(inputs, (sha) => {
      const info = bySha[sha];
      return info?.status === 'ready' ? info.fileName : undefined;
    });
}
