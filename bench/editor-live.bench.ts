/**
 * npm run bench:editor-live — how late the editor learns of a run's events while the CPU is busy: a graph of
 * fast-style nodes runs in headless Chromium against the production build, once on an idle machine and once with
 * a busy-looping process per core (what a second job on a 2-core machine does). For every event it records the
 * server's `at` (Unix ms when the engine emitted it), when the page's EventSource delivered it (the tRPC link
 * applies it to the run store in the same task) and when a node's `data-status` showed it on the canvas; prints
 * the delays' p50/p95/max. Set PIXELWIRE_E2E_SKIP_BUILD=1 to reuse an existing build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { startApp } from '../test/e2e/app-server';
import { launchBrowser } from '../test/e2e/browser';
import { median, percentile, printTable } from './bench-table';

interface Seen {
  /** EventSource messages: the event's `at` and type, and when the page got it. */
  messages: { at: number; type: string; nodeId?: string; got: number }[];
  /** Canvas changes: node, status, when. */
  statuses: { nodeId: string; status: string; t: number }[];
}

/** Records every EventSource message and every node status change with its time (Date.now: the same clock as `at`). */
const recorder = `(() => {
  const seen = { messages: [], statuses: [] };
  window.__pwLive = seen;
  const Native = window.EventSource;
  window.EventSource = class extends Native {
    constructor(url, init) {
      super(url, init);
      this.addEventListener('message', (e) => {
        const got = Date.now();
        try {
          const data = JSON.parse(e.data);
          const event = data && typeof data === 'object' && 'type' in data ? data : data?.data;
          if (event && typeof event.at === 'number') seen.messages.push({ at: event.at, type: event.type, nodeId: event.nodeId, got });
        } catch {}
      });
    }
  };
  new MutationObserver((records) => {
    const t = Date.now();
    for (const r of records) {
      const el = r.target;
      const id = el.getAttribute && el.getAttribute('data-testid');
      if (r.attributeName === 'data-status' && id && id.startsWith('node-')) seen.statuses.push({ nodeId: id.slice(5), status: el.getAttribute('data-status'), t });
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-status'] });
})()`;

const statusOf: Record<string, string> = { 'node.started': 'running', 'node.finished': 'done', 'node.cached': 'cached' };

function burnCpu(cores: number): ChildProcess[] {
  return Array.from({ length: cores }, () => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
}

async function runOnce(page: Page, graphId: string): Promise<Seen> {
  await page.goto(`/graphs/${graphId}`);
  await page.locator('.react-flow__pane').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid^="node-"]').length > 0);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForFunction(() => (window as unknown as { __pwLive: Seen }).__pwLive.messages.some((m) => m.type === 'run.finished'), undefined, { timeout: 180_000 });
  await page.waitForTimeout(500);
  return (await page.evaluate('window.__pwLive')) as Seen;
}

function delays(seen: Seen): { arrive: number[]; shown: number[]; events: number } {
  const arrive = seen.messages.map((m) => m.got - m.at);
  const shown: number[] = [];
  for (const m of seen.messages) {
    const status = statusOf[m.type];
    if (!status || !m.nodeId) continue;
    const change = seen.statuses.find((s) => s.nodeId === m.nodeId && s.status === status && s.t >= m.got - 5);
    if (change) shown.push(change.t - m.at);
  }
  return { arrive, shown, events: seen.messages.length };
}

const app = await startApp();
const browser = await launchBrowser();
const burners: ChildProcess[] = [];
try {
  const context = await browser.newContext({ baseURL: app.url, viewport: { width: 1400, height: 900 } });
  await context.addInitScript(recorder);
  const page = await context.newPage();
  const signUp = await page.request.post('/api/trpc/auth.signUp', { data: { email: 'live@example.com', password: 'correct horse battery', name: 'Live' } });
  if (!signUp.ok()) throw new Error(`sign-up failed: ${signUp.status()}`);
  const photo = await sharp({ create: { width: 384, height: 288, channels: 3, background: '#3366aa', noise: { type: 'gaussian', mean: 120, sigma: 40 } } }).png().toBuffer();
  const uploaded = await page.request.post('/api/uploads', { headers: { 'content-type': 'image/png', 'x-pixelwire-request': '1' }, data: photo });
  const { file } = (await uploaded.json()) as { file: { sha256: string } };
  const styles = ['candy', 'mosaic', 'udnie', 'rain-princess'];
  const document = (seed: number) => ({
    format: 'pixelwire.graph',
    version: 1,
    nodes: [
      { id: 'load', type: 'image.load', params: { source: 'artifact', artifact: file.sha256 }, position: { x: 0, y: 200 } },
      // A different blur each time, so nothing downstream comes from the cache.
      { id: 'blur', type: 'image.blur', params: { sigma: 1 + seed / 10 }, position: { x: 300, y: 200 } },
      ...styles.map((model, i) => ({ id: `style-${i}`, type: 'style.fast', params: { model }, position: { x: 600, y: i * 260 } })),
    ],
    edges: [
      { from: { node: 'load', port: 'image' }, to: { node: 'blur', port: 'image' } },
      ...styles.map((_, i) => ({ from: { node: 'blur', port: 'image' }, to: { node: `style-${i}`, port: 'image' } })),
    ],
  });
  const rows: (string | number)[][] = [];
  const cores = availableParallelism();
  for (const [seed, loaded] of [[1, false], [2, true]] as const) {
    const created = await page.request.post('/api/trpc/graphs.create', { data: { name: `Live ${seed}`, document: document(seed) } });
    const graphId = ((await created.json()) as { result: { data: { graph: { id: string } } } }).result.data.graph.id;
    if (loaded) burners.push(...burnCpu(cores));
    const { arrive, shown, events } = delays(await runOnce(page, graphId));
    for (const b of burners.splice(0)) b.kill('SIGKILL');
    const where = loaded ? `${cores} busy cores` : 'idle';
    const fmt = (v: number[]) => (v.length ? [Math.round(median(v)), Math.round(percentile(v, 95)), Math.round(Math.max(...v))] : ['—', '—', '—']);
    rows.push([where, 'server at → store (EventSource message)', events, ...fmt(arrive)]);
    rows.push([where, 'server at → node status on the canvas', shown.length, ...fmt(shown)]);
  }
  printTable('Editor live events: delay after the server emitted them (ms)', ['CPU', 'measured', 'events', 'p50', 'p95', 'max'], rows);
} finally {
  for (const b of burners) b.kill('SIGKILL');
  await browser.close();
  await app.stop();
}
