'use client';
import { useEffect, useState } from 'react';
import type { GraphSummary } from '../../_components/types';
import { trpc } from '../../_lib/trpc';

/**
 * Names of the graphs the listed ones were copied from: from the list itself, else read once
 * with graphs.get. null: the source cannot be read (deleted, or not shared with me).
 */
export function useSourceNames(items: readonly GraphSummary[] | undefined): Map<string, string | null> {
  const [fetched, setFetched] = useState<Map<string, string | null>>(new Map());
  const listed = new Map((items ?? []).map((g) => [g.id, g.name]));
  const missing = [...new Set((items ?? []).map((g) => g.copiedFromGraphId).filter((id): id is string => !!id && !listed.has(id) && !fetched.has(id)))];
  const key = missing.join(',');

  useEffect(() => {
    if (!key) return;
    let live = true;
    void Promise.all(
      key.split(',').map(async (graphId) => {
        try {
          const { graph } = await trpc.graphs.get.query({ graphId });
          return [graphId, graph.name] as const;
        } catch {
          return [graphId, null] as const;
        }
      }),
    ).then((pairs) => {
      if (live) setFetched((m) => new Map([...m, ...pairs]));
    });
    return () => {
      live = false;
    };
  }, [key]);

  return new Map<string, string | null>([...fetched, ...listed]);
}
