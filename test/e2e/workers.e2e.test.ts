import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from './browser-app';
import { shot } from './browser';
import { signUp, unlabelledControls } from './page-checks';
import { waitFor } from './wait-for';

/** A dark PNG with bright squares, so every dilation pass has work to do; compresses well. */
async function spottyPng(width: number, height: number): Promise<Buffer> {
  const square = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#ffffff' } }).png().toBuffer();
  const spots = [];
  for (let y = 100; y < height - 40; y += 400) for (let x = 100; x < width - 40; x += 400) spots.push({ input: square, left: x, top: y });
  return sharp({ create: { width, height, channels: 3, background: '#202020' } }).composite(spots).png({ compressionLevel: 9 }).toBuffer();
}

/** Graph input `photo` → two heavy dilations: tens of seconds of work, so the run is still there when it is cancelled. */
const slowGraph = {
  format: 'pixelwire.graph',
  version: 1,
  nodes: [
    { id: 'grow', type: 'image.morphology', params: { operation: 'dilate', radius: 32, shape: 'disc', iterations: 16 } },
    { id: 'more', type: 'image.morphology', params: { operation: 'dilate', radius: 32, shape: 'disc', iterations: 16 } },
  ],
  edges: [{ from: { node: 'grow', port: 'image' }, to: { node: 'more', port: 'image' } }],
  inputs: [{ name: 'photo', kind: 'image', targets: [{ node: 'grow', port: 'image' }] }],
  outputs: [{ name: 'mask', kind: 'mask', source: { node: 'more', port: 'image' } }],
};

/**
 * The Workers page in a real browser against the production build, with a one-process
 * embedded pool (PIXELWIRE_WORKERS=1): the pool with its installed models, two slow runs
 * (one running, one waiting at position 1) in the Queue view and on the worker, both
 * cancelled from the Queue view, and the run detail saying where the run executed.
 */
describe('Workers page and Queue view in Chromium', () => {
  const session = useBrowserApp({ viewport: { width: 1300, height: 1000 } }, { PIXELWIRE_WORKERS: '1' });
  let page: Page;
  let graphId = '';
  const runIds: string[] = [];

  beforeAll(async () => {
    page = await session.newPage();
  }, 300_000);

  const queue = () => page.getByRole('region', { name: 'Queue' });
  const row = (runId: string) => queue().locator(`tr[data-run-id="${runId}"]`);
  const pool = () => page.getByRole('article', { name: 'this server (embedded pool)' });

  /** A tRPC mutation from the signed-in browser context (its session cookie). */
  async function mutate<T>(path: string, input: unknown): Promise<T> {
    const response = await page.request.post(`/api/trpc/${path}`, { data: input });
    expect(response.ok(), await response.text()).toBe(true);
    return ((await response.json()) as { result: { data: T } }).result.data;
  }

  it('opens Workers from the header and shows the embedded pool with its installed models', async () => {
    await signUp(page, 'Ada');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workers' }).click();
    await page.waitForURL('**/workers');
    await waitFor.visible(page.getByRole('heading', { name: 'Workers', level: 1 }));
    await waitFor.attribute(page.getByRole('link', { name: 'Workers' }), 'aria-current', 'page');

    await waitFor.visible(pool());
    await waitFor.visible(page.getByTestId('embedded-note').getByText('REDIS_URL=… pixelwire worker'));
    await expect.poll(() => pool().locator('[data-state]').textContent()).toBe('idle');
    expect(await pool().getByText('1 run at a time').count()).toBe(1);
    // The models are folded away behind their count.
    const candy = pool().getByText('style/candy', { exact: true });
    expect(await candy.isVisible()).toBe(false);
    await pool().locator('summary').click();
    await waitFor.visible(candy);
    await waitFor.visible(queue().getByText('Nothing is waiting or running.'));
    expect(await unlabelledControls(page)).toEqual([]);
  });

  it('lists a running and a waiting run in the Queue view, oldest first, and the running one on the worker', async () => {
    const upload = await page.request.post('/api/uploads', { headers: { 'content-type': 'image/png', 'x-pixelwire-request': '1' }, data: await spottyPng(2400, 2400) });
    expect(upload.status(), await upload.text()).toBe(201);
    const { file } = (await upload.json()) as { file: { sha256: string } };
    ({
      graph: { id: graphId },
    } = await mutate<{ graph: { id: string } }>('graphs.create', { name: 'Slow dilation', document: slowGraph }));
    for (let i = 0; i < 2; i++) runIds.push((await mutate<{ id: string }>('runs.start', { graphId, inputs: { photo: file.sha256 } })).id);
    const [running, waiting] = runIds as [string, string];

    // The page refreshes itself every 2 s: no reload.
    await waitFor.visible(row(running).getByText('running', { exact: true }));
    await waitFor.visible(row(waiting).getByText('queued', { exact: true }));
    expect(await queue().locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id')))).toEqual(runIds);
    expect(await row(waiting).getByRole('cell', { name: '#1' }).count()).toBe(1);
    expect(await row(running).getByRole('cell', { name: 'this server' }).count()).toBe(1);
    await waitFor.visible(queue().getByText('1 running, 1 waiting'));
    const graphLink = row(running).getByRole('link', { name: 'Slow dilation' });
    expect(await graphLink.getAttribute('href')).toBe(`/graphs/${graphId}/runs?run=${running}`);

    await expect.poll(() => pool().locator('[data-state]').textContent()).toBe('busy');
    expect(await pool().getByRole('link', { name: /^Slow dilation/ }).getAttribute('href')).toBe(`/graphs/${graphId}/runs?run=${running}`);
    expect(await unlabelledControls(page)).toEqual([]);
    // Tall enough for the worker and the queue in one picture.
    await page.setViewportSize({ width: 1300, height: 1300 });
    await shot(page, 'workers');
  });

  it('cancels the waiting run and then the running one from the Queue view: each disappears', async () => {
    const [running, waiting] = runIds as [string, string];
    const cancelWaiting = row(waiting).getByRole('button', { name: `Cancel the run of Slow dilation (${waiting})` });
    await cancelWaiting.click();
    await waitFor.gone(row(waiting));
    await waitFor.visible(row(running));

    const cancelRunning = row(running).getByRole('button', { name: /^Cancel/ });
    await cancelRunning.click();
    // A running run stops within the pool's grace period; the row goes once the server has recorded it.
    await waitFor.gone(row(running), 20_000);
    await waitFor.visible(queue().getByText('Nothing is waiting or running.'));
    await expect.poll(() => pool().locator('[data-state]').textContent(), { timeout: 15_000 }).toBe('idle');
    expect(await queue().getByRole('alert').count()).toBe(0);
    await shot(page, 'workers-02-cancelled');
  });

  it('says in the run detail where the run executed', async () => {
    await page.goto(`/graphs/${graphId}/runs?run=${runIds[0]}`);
    const detail = page.getByRole('region', { name: 'Run details' });
    await waitFor.visible(detail.getByText('cancelled', { exact: true }));
    await waitFor.visible(detail.getByTestId('ran-on'));
    expect(await detail.getByTestId('ran-on').textContent()).toBe('this server');
    await shot(page, 'workers-03-run-detail');
    // The waiting run never started: nothing to name.
    await page.goto(`/graphs/${graphId}/runs?run=${runIds[1]}`);
    await waitFor.visible(page.getByRole('region', { name: 'Run details' }).getByText('never started', { exact: true }));
  });
});
