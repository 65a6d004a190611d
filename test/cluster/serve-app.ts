/**
 * A web server process for the cluster tests: the real app from the environment
 * (DATABASE_URL, REDIS_URL, PIXELWIRE_S3_*, PIXELWIRE_DATA_DIR) behind a real HTTP
 * server. Prints one JSON line `{ "url": … }` when it listens; SIGTERM closes it.
 */
import { createApp } from '../../server/app';
import { createApiHandler } from '../../server/http/api-handler';
import { listen } from '../../server/http/node-adapter';

const app = await createApp();
const http = await listen(createApiHandler(app), Number(process.env.PORT ?? 0));
process.stdout.write(`${JSON.stringify({ url: http.url, pid: process.pid })}\n`);
process.once('SIGTERM', () => {
  void http.close().then(() => app.close()).then(() => process.exit(0));
});
