'use client';
import { useEffect, useState } from 'react';
import { trpc } from '../../_lib/trpc';
import ui from '../../_components/ui.module.css';
import { fileUrl } from '../../_components/format';
import styles from './runs.module.css';

interface SavedFile {
  id: string;
  filename: string;
  nodeId: string;
}

/** The files a finished run's nodes saved (the PNGs that carry the graph), each with Download, and "Download all (ZIP)". */
export function RunFiles({ runId, finished }: { runId: string; finished: boolean }) {
  const [files, setFiles] = useState<SavedFile[]>([]);
  useEffect(() => {
    if (!finished) return;
    let live = true;
    trpc.runs.savedFiles
      .query({ runId })
      .then((found) => live && setFiles(found))
      .catch(() => live && setFiles([]));
    return () => {
      live = false;
    };
  }, [runId, finished]);
  if (!finished) return null;
  return (
    <>
      {files.length > 0 && (
        <>
          <h3>Saved files</h3>
          <ul className={styles.problems} data-testid="run-saved-files">
            {files.map((file) => (
              <li key={`${file.nodeId}:${file.id}`}>
                <a className={ui.button} href={fileUrl(runId, file.id)} download={file.filename} aria-label={`Download ${file.filename} (saved by ${file.nodeId})`}>
                  Download {file.filename}
                </a>{' '}
                <span className="muted">saved by {file.nodeId}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        <a className={ui.button} href={`/api/v1/runs/${encodeURIComponent(runId)}/outputs.zip`} download data-testid="run-zip">
          Download all (ZIP)
        </a>
      </p>
    </>
  );
}
