'use client';
import Link from 'next/link';
import { useParams, useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { errorCode, errorMessage } from '../../_components/errors';
import { trpc } from '../../_lib/trpc';
import { useCatalogueStore } from './_editor/catalogue-store';
import { parseDocument } from './_editor/document-io';
import { Editor } from './_editor/editor';
import { useGraphStore } from './_editor/graph-store';
import { SidePanel } from './_editor/side-panel';
import { Toolbar } from './_editor/toolbar';

type LoadState = { status: 'loading' } | { status: 'ready'; name: string } | { status: 'failed'; message: string };

/** /graphs/<id>: loads the catalogue and the graph's head version, then shows the editor. */
export default function GraphEditorPage() {
  const params = useParams<{ graphId: string }>();
  const graphId = typeof params?.graphId === 'string' ? decodeURIComponent(params.graphId) : '';
  const router = useRouter();
  const [state, setState] = useState<LoadState>({ status: 'loading' });

  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    Promise.all([trpc.catalogue.nodes.query(), trpc.graphs.get.query({ graphId })])
      .then(([catalogue, { graph, version }]) => {
        if (!live) return;
        useCatalogueStore.getState().setEntries(catalogue);
        const parsed = parseDocument(version.document);
        if (!parsed.ok) return setState({ status: 'failed', message: `Version ${version.number} cannot be opened: ${parsed.message}` });
        useGraphStore.getState().load(parsed.document, version.number);
        document.title = `${graph.name} · Pixelwire`;
        setState({ status: 'ready', name: graph.name });
      })
      .catch((error: unknown) => {
        if (!live) return;
        const code = errorCode(error);
        if (code === 'UNAUTHORIZED') {
          router.replace(`/sign-in?next=${encodeURIComponent(`/graphs/${graphId}`)}`);
          return setState({ status: 'failed', message: 'Sign in to open this graph.' });
        }
        setState({ status: 'failed', message: code === 'NOT_FOUND' || code === 'FORBIDDEN' ? 'This graph does not exist, or you may not open it.' : errorMessage(error) });
      });
    return () => {
      live = false;
    };
  }, [graphId, router]);

  if (state.status !== 'ready') {
    return (
      <div className="pw-editor-message">
        {state.status === 'loading' ? (
          <p role="status">Loading graph…</p>
        ) : (
          <>
            <p role="alert">{state.message}</p>
            <Link href="/graphs">Back to your graphs</Link>
          </>
        )}
      </div>
    );
  }
  return (
    <div className="pw-editor-page">
      <header className="pw-editor-header">
        <Link href="/graphs" className="pw-editor-back">
          ← Graphs
        </Link>
        <h1 className="pw-editor-name">{state.name}</h1>
        <div className="pw-editor-toolbar">
          <Toolbar />
        </div>
      </header>
      <div className="pw-editor-body">
        <Editor graphName={state.name} />
        <SidePanel />
      </div>
    </div>
  );
}
