import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import S3rver from 's3rver';

/** The keys s3rver checks request signatures against. */
export const s3rverCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface TestS3Server {
  endpoint: string;
  bucket: string;
  /** Every request served so far, as `METHOD /path?query`. */
  requests: string[];
  /** PIXELWIRE_S3_* settings that point the app at this server. */
  env: Record<string, string>;
  /** Stops serving (connections are cut at once); the stored objects stay until dispose(). */
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

/** A real S3-compatible server (s3rver) on 127.0.0.1 and a free port, storing in a temp folder, with one bucket. */
export async function startS3Server(bucket = 'pixelwire-test'): Promise<TestS3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'pw-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const requests: string[] = [];
  server.httpServer?.on('request', (request: IncomingMessage) => requests.push(`${request.method} ${request.url}`));
  let running = true;
  const stop = async () => {
    if (!running) return;
    running = false;
    const closing = server.close();
    // The SDK keeps connections alive; without this close() waits for them to time out.
    server.httpServer?.closeAllConnections();
    await closing;
  };
  return {
    endpoint,
    bucket,
    requests,
    env: {
      PIXELWIRE_S3_BUCKET: bucket,
      PIXELWIRE_S3_ENDPOINT: endpoint,
      PIXELWIRE_S3_FORCE_PATH_STYLE: 'true',
      PIXELWIRE_S3_ACCESS_KEY_ID: s3rverCredentials.accessKeyId,
      PIXELWIRE_S3_SECRET_ACCESS_KEY: s3rverCredentials.secretAccessKey,
    },
    stop,
    async dispose() {
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
