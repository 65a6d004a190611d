import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ArtifactMeta } from '../../nodes/context';
import type { BlobStore } from '../ports/blob-store';

const idPattern = /^[0-9a-f]{64}$/;

export interface S3BlobStoreConfig {
  bucket: string;
  /** Key prefix without slashes at either end; objects are `<prefix>/<ab>/<sha256>`. */
  prefix: string;
  region: string;
  /** For MinIO, R2 and other S3-compatible servers; unset means AWS S3. */
  endpoint?: string;
  /** `http://host/bucket/key` instead of `http://bucket.host/key` (MinIO, most local servers). */
  forcePathStyle: boolean;
  /** Static keys; unset means the AWS SDK's default chain (AWS_ACCESS_KEY_ID, profiles, instance roles, …). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

type Sdk = typeof import('@aws-sdk/client-s3');
let sdkLoading: Promise<Sdk> | undefined;
/** The SDK is loaded on first use, so processes on the local-disk default never pay for it. */
const loadSdk = () => (sdkLoading ??= import('@aws-sdk/client-s3'));

/**
 * Content-addressed blob store on an S3-compatible bucket (AWS S3, MinIO, R2).
 * Media type, width and height travel as object metadata (x-amz-meta-*), so `get`
 * returns the same ArtifactMeta as the disk store. Ids are checked before a key is
 * made from them, and bytes read back are checked against their sha256.
 */
/** Blobs at least this large are looked for (HEAD) before they are uploaded. */
export const headFirstBytes = 256 * 1024;

export class S3BlobStore implements BlobStore {
  private client: Promise<S3Client> | undefined;

  constructor(readonly config: S3BlobStoreConfig) {}

  static isBlobId(id: string): boolean {
    return idPattern.test(id);
  }

  /** The object key of a blob id; throws on anything that is not 64 lowercase hex digits. */
  keyOf(id: string): string {
    if (!idPattern.test(id)) throw new RangeError(`not a blob id: ${JSON.stringify(id).slice(0, 80)}`);
    return `${this.config.prefix}/${id.slice(0, 2)}/${id}`;
  }

  async put(bytes: Buffer, meta: { mediaType: string; width?: number; height?: number }): Promise<ArtifactMeta> {
    const id = createHash('sha256').update(bytes).digest('hex');
    const full: ArtifactMeta = { id, mediaType: meta.mediaType, size: bytes.length, width: meta.width, height: meta.height };
    // A HEAD first saves uploading a large blob the bucket has; a small one (a preview) is cheaper to send again
    // (same key, same bytes) than to ask about first.
    if (bytes.length >= headFirstBytes && (await this.has(id))) return full;
    const { PutObjectCommand } = await loadSdk();
    const metadata: Record<string, string> = { 'media-type': meta.mediaType };
    if (meta.width !== undefined) metadata.width = String(meta.width);
    if (meta.height !== undefined) metadata.height = String(meta.height);
    await this.send('put', id, async (client) =>
      client.send(
        new PutObjectCommand({
          Bucket: this.config.bucket,
          Key: this.keyOf(id),
          Body: bytes,
          ContentLength: bytes.length,
          ContentType: meta.mediaType,
          Metadata: metadata,
        }),
      ),
    );
    return full;
  }

  async get(id: string): Promise<{ bytes: Buffer; meta: ArtifactMeta } | undefined> {
    if (!idPattern.test(id)) return undefined;
    const { GetObjectCommand } = await loadSdk();
    const response = await this.send('get', id, (client) => client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: this.keyOf(id) })));
    if (!response) return undefined;
    const body = await this.send('get', id, async () => {
      if (!response.Body) throw new Error('the response has no body');
      return response.Body.transformToByteArray();
    });
    if (!body) return undefined;
    const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    if (createHash('sha256').update(bytes).digest('hex') !== id) {
      throw new Error(`blob ${id} in bucket ${this.config.bucket} does not match its sha256 (corrupt or overwritten object)`);
    }
    const m = response.Metadata ?? {};
    const result: ArtifactMeta = { id, mediaType: m['media-type'] ?? response.ContentType ?? 'application/octet-stream', size: bytes.length };
    const width = numberOf(m.width);
    const height = numberOf(m.height);
    if (width !== undefined) result.width = width;
    if (height !== undefined) result.height = height;
    return { bytes, meta: result };
  }

  async has(id: string): Promise<boolean> {
    if (!idPattern.test(id)) return false;
    const { HeadObjectCommand } = await loadSdk();
    const head = await this.send('check', id, (client) => client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: this.keyOf(id) })));
    return head !== undefined;
  }

  /** Closes the client's connections (tests, shutdown). */
  async close(): Promise<void> {
    const client = await this.client;
    client?.destroy();
    this.client = undefined;
  }

  private getClient(): Promise<S3Client> {
    this.client ??= loadSdk().then(
      ({ S3Client }) =>
        new S3Client({
          region: this.config.region,
          endpoint: this.config.endpoint,
          forcePathStyle: this.config.forcePathStyle,
          credentials: this.config.credentials,
        }),
    );
    return this.client;
  }

  /** Runs one request: undefined when the object does not exist, otherwise its result or an error that says where. */
  private async send<T>(action: 'put' | 'get' | 'check', id: string, request: (client: S3Client) => Promise<T>): Promise<T | undefined> {
    try {
      return await request(await this.getClient());
    } catch (error) {
      if (isNotFound(error)) return undefined;
      const reason = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
      const where = `bucket ${this.config.bucket}${this.config.endpoint ? ` at ${safeEndpoint(this.config.endpoint)}` : ''}`;
      throw new Error(`cannot ${action} blob ${id} in ${where}: ${reason}`, { cause: error });
    }
  }
}

function isNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'NoSuchKey' || error.name === 'NotFound') return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  // A 404 naming the bucket is a configuration error, not a missing blob.
  return status === 404 && error.name !== 'NoSuchBucket';
}

function numberOf(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** An endpoint URL without any user name or password in it, for messages and logs. */
export function safeEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return '(unparseable endpoint)';
  }
}
