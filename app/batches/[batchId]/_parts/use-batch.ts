'use client';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../../_components/errors';
import type { RouterOutputs } from '../../../_components/types';
import { trpc } from '../../../_lib/trpc';
import { isDone } from './batch-items';

export type Batch = RouterOutputs['batches']['get'];

/** A batch as batches.get reports it, read again every 2 s until every item is done; `reload` reads it at once. */
export function useBatch(batchId: string) {
  const [batch, setBatch] = useState<Batch>();
  const [failure, setFailure] = useState<string>();

  const reload = useCallback(async () => {
    try {
      const next = await trpc.batches.get.query({ batchId });
      setBatch(next);
      setFailure(undefined);
      return next;
    } catch (error) {
      setFailure(errorMessage(error));
      return undefined;
    }
  }, [batchId]);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const next = await reload();
      if (live && (!next || !isDone(next))) timer = setTimeout(tick, 2000);
    };
    void tick();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [reload]);

  return { batch, failure, setFailure, reload };
}
