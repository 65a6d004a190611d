'use client';
import { TRPCClientError } from '@trpc/client';
import { useEffect } from 'react';
import { create } from 'zustand';
import { trpc } from '../../../_lib/trpc';

/** What the editor knows of an image a param names by sha256. */
export type UploadInfo =
  | { status: 'loading' }
  | { status: 'ready'; fileName: string | null; width: number | null; height: number | null }
  /** Unknown, or not an image the viewer may use: the param needs another image. */
  | { status: 'unavailable' };

interface UploadInfoStore {
  bySha: Record<string, UploadInfo>;
  /** Asks the server once per hash (artifacts.content). */
  request(sha256: string): void;
}

const shaPattern = /^[0-9a-f]{64}$/;

export const useUploadInfoStore = create<UploadInfoStore>((set, get) => ({
  bySha: {},
  request: (sha256) => {
    if (get().bySha[sha256]) return;
    if (!shaPattern.test(sha256)) {
      set((s) => ({ bySha: { ...s.bySha, [sha256]: { status: 'unavailable' } } }));
      return;
    }
    set((s) => ({ bySha: { ...s.bySha, [sha256]: { status: 'loading' } } }));
    trpc.artifacts.content
      .query({ sha256 })
      .then((info) => set((s) => ({ bySha: { ...s.bySha, [sha256]: { status: 'ready', fileName: info.fileName, width: info.width, height: info.height } } })))
      // NOT_FOUND: unknown or not the viewer's to use, so the widget asks for an image; any other failure only loses the name.
      .catch((error: unknown) => {
        const refused = error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === 'NOT_FOUND';
        set((s) => ({ bySha: { ...s.bySha, [sha256]: refused ? { status: 'unavailable' } : { status: 'ready', fileName: null, width: null, height: null } } }));
      });
  },
}));

/** The file name and size of the image a param names ('' names none: undefined). */
export function useUploadInfo(sha256: string): UploadInfo | undefined {
  const info = useUploadInfoStore((s) => (sha256 ? s.bySha[sha256] : undefined));
  const request = useUploadInfoStore((s) => s.request);
  useEffect(() => {
    if (sha256) request(sha256);
  }, [sha256, request]);
  return info;
}
