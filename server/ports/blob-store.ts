import type { ArtifactStore } from '../../nodes/context';

/**
 * Content-addressed storage of encoded files (uploads, run outputs, previews),
 * keyed by the sha256 of their bytes. The embedded default is a folder on local
 * disk (DiskArtifactStore); with `PIXELWIRE_S3_BUCKET` set it is an S3-compatible
 * bucket (AWS S3, MinIO, R2), read through a local LRU on each machine.
 * Nodes see the same interface as `ArtifactStore`.
 */
export type BlobStore = ArtifactStore;
