import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedUpClient, startTestServer, type TestServer } from '../helpers/server-harness';
import { runCli } from '../helpers/run-cli';
import { resizeGraph } from '../server/server-fixtures';

/** `pixelwire run --server URL --token T GRAPH_ID`: a saved pipeline run on a real server through the HTTP API. */
describe('pixelwire run --server', () => {
  let server: TestServer;
  let token: string;
  let graphId: string;
  const tmp = mkdtempSync(join(tmpdir(), 'pw-remote-cli-'));

  beforeAll(async () => {
    server = await startTestServer('pglite', { workers: 1 });
    const alice = await signedUpClient(server, 'alice');
    token = (await alice.trpc.tokens.create.mutate({ name: 'cli' })).token;
    graphId = (await alice.trpc.graphs.create.mutate({ name: 'Resize', document: resizeGraph() })).graph.id;
    writeFileSync(join(tmp, 'photo.png'), await sharp({ create: { width: 90, height: 60, channels: 3, background: '#446688' } }).png().toBuffer());
  });
  afterAll(async () => {
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('uploads image inputs, follows the run and downloads its outputs', async () => {
    const out = join(tmp, 'out');
    const exit = await runCli(['run', '--server', server.url, '--token', token, graphId, '--input', `photo=${join(tmp, 'photo.png')}`, '--input', 'width=30', '--json', '--out', out]);
    expect(exit.code, exit.stderr).toBe(0);
    const report = JSON.parse(exit.stdout) as { status: string; runId: string; outputs: { result: { width: number; path: string } } };
    expect(report).toMatchObject({ status: 'succeeded', outputs: { result: { kind: 'image', width: 30, height: 20, path: join(out, 'result.png') } } });
    expect(await sharp(join(out, 'result.png')).metadata()).toMatchObject({ format: 'png', width: 30, height: 20 });
  });

  it('says what the server refused: a bad token, an unknown graph, a missing input', async () => {
    const badToken = await runCli(['run', '--server', server.url, '--token', 'pwt_not-a-token', graphId]);
    expect(badToken.code).toBe(2);
    expect(badToken.stderr).toContain('UNAUTHORIZED');
    const unknown = await runCli(['run', '--server', server.url, '--token', token, 'no-such-graph']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('NOT_FOUND');
    const missing = await runCli(['run', '--server', server.url, '--token', token, graphId]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/BAD_REQUEST.*photo/);
  });
});
