'use client';
import { splitOutputs } from '../../../graphs/_runs/run-parts';
import styles from './share.module.css';

const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

/**
 * A run's outputs: images as previews with a Download link to the full PNG, other values as text.
 * `fileUrl` names where a file of the run is served (a run's files, or a view link's).
 */
export function OutputGallery({ outputs, order, fileUrl, label = 'Outputs' }: { outputs: unknown; order?: string[]; fileUrl(sha256: string): string; label?: string }) {
  const { images, values } = splitOutputs(outputs, order);
  if (images.length === 0 && values.length === 0) return <p className="muted">This run returned no outputs.</p>;
  return (
    <>
      {images.length > 0 && (
        <ul className={styles.gallery} aria-label={label}>
          {images.map((image) => (
            <li key={image.name}>
              <figure className={styles.figure} data-output={image.name}>
                <a href={fileUrl(image.artifactId)} target="_blank" rel="noreferrer" className={styles.figureImage}>
                  {/* eslint-disable-next-line @next/next/no-img-element -- previews come from the API */}
                  <img src={fileUrl(image.previewId)} alt={`Output ${image.name}`} loading="lazy" />
                </a>
                <figcaption className={styles.figureActions}>
                  <span>
                    <strong>{image.name}</strong>{' '}
                    <span className="muted">
                      {image.width}×{image.height} PNG
                    </span>
                  </span>
                  <a href={fileUrl(image.artifactId)} download={`${image.name}.png`} aria-label={`Download ${image.name} (PNG)`}>
                    Download
                  </a>
                </figcaption>
              </figure>
            </li>
          ))}
        </ul>
      )}
      {values.length > 0 && (
        <dl className={styles.values} aria-label={`${label}: values`}>
          {values.map((v) => (
            <div key={v.name} style={{ display: 'contents' }}>
              <dt>
                {v.name} <span className="muted">({v.kind})</span>
              </dt>
              <dd data-output={v.name}>{show(v.value)}</dd>
            </div>
          ))}
        </dl>
      )}
    </>
  );
}
