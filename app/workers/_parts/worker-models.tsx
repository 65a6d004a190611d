'use client';
import type { WorkerView } from './types';
import { shortSha } from '../../_components/worker-format';
import styles from './workers.module.css';

/** The models a worker has, folded away behind their count; each with the start of its file's sha256 when known. */
export function WorkerModels({ models }: { models: WorkerView['models'] }) {
  if (models.length === 0) return <span className="muted">none installed</span>;
  return (
    <details className={styles.models}>
      <summary>
        {models.length} {models.length === 1 ? 'model' : 'models'}
      </summary>
      <ul>
        {models.map((model) => (
          <li key={model.id}>
            <code>{model.id}</code>
            {model.sha256 && (
              <span className="muted" title={`sha256 ${model.sha256}`}>
                {' '}
                sha256 {shortSha(model.sha256)}…
              </span>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}
