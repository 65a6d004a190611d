import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { GRAPH_FORMAT, GRAPH_VERSION } from '../../engine/graph-document';
import { useBrowserApp } from './browser-app';
import { shot } from './browser';
import { signUp } from './page-checks';
import { waitFor } from './wait-for';

type Run = { status: string; outputs: Record<string, { kind: string; artifactId: string }> | null };

/**
 * Bypass, reroute points and Show value (issue 11, item 5): Ctrl+B bypasses a node (undoable,
 * drawn dimmed with a badge) and the run passes its input through; a node that cannot be
 * bypassed says why in its context menu; double-clicking a wire puts a reroute point on it
 * that takes the wire's kind and runs; Show value draws a number and an image after a run.
 */
describe('bypass, reroute and Show value in Chromium', () => {
  const session = useBrowserApp({ viewport: { width: 1500, height: 950 } });
  let page: Page;
  let graphId = '';

  beforeAll(async () => {
    page = await session.newPage();
    await signUp(page, 'Rae');
  }, 300_000);

  const node = (id: string) => page.getByTestId(`node-${id}`);
  const handle = (nodeId: string, port: string, side: 'source' | 'target'): Locator => node(nodeId).locator(`.react-flow__handle.${side}[data-handleid="${port}"]`);
  const ids = () => page.locator('[data-testid^="node-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.replace(/^node-/, '')));

  /** Runs the graph from the toolbar and answers the finished run (from the HTTP API) once it succeeded. */
  async function runGraph(): Promise<Run & { id: string }> {
    const listed = async () => {
      const response = await page.request.get(`/api/trpc/runs.list?input=${encodeURIComponent(JSON.stringify({ graphId, limit: 1 }))}`);
      return ((await response.json()) as { result: { data: { items: { id: string }[] } } }).result.data.items[0]?.id;
    };
    const before = await listed();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    let id: string | undefined;
    await expect.poll(async () => (id = await listed()) !== before, { timeout: 30_000 }).toBe(true);
    let run: Run = { status: 'queued', outputs: null };
    await expect
      .poll(async () => (run = (await (await page.request.get(`/api/v1/runs/${id}`)).json()) as Run).status, { timeout: 60_000 })
      .toBe('succeeded');
    return { ...run, id: id! };
  }

  /** The colour of the middle pixel of a run's output image. */
  async function middlePixel(run: Run & { id: string }, output: string): Promise<number[]> {
    const file = await page.request.get(`/api/v1/runs/${run.id}/files/${run.outputs![output]!.artifactId}`);
    expect(file.ok()).toBe(true);
    const { data, info } = await sharp(await file.body()).raw().toBuffer({ resolveWithObject: true });
    const at = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * info.channels;
    return [...data.subarray(at, at + 3)];
  }

  it('opens a graph: load → invert → output, and load → threshold → Show value', async () => {
    const document = {
      format: GRAPH_FORMAT,
      version: GRAPH_VERSION,
      nodes: [
        { id: 'load', type: 'image.load', params: {}, position: { x: 0, y: 0 } },
        { id: 'invert', type: 'image.invert', params: {}, position: { x: 420, y: 0 } },
        { id: 'grey', type: 'image.threshold', params: {}, position: { x: 420, y: 420 } },
        { id: 'level', type: 'util.show', params: {}, position: { x: 780, y: 420 } },
      ],
      edges: [
        { from: { node: 'load', port: 'image' }, to: { node: 'invert', port: 'image' } },
        { from: { node: 'load', port: 'image' }, to: { node: 'grey', port: 'image' } },
        { from: { node: 'grey', port: 'level' }, to: { node: 'level', port: 'value' } },
      ],
      outputs: [{ name: 'result', kind: 'image', source: { node: 'invert', port: 'image' } }],
    };
    const created = await page.request.post('/api/trpc/graphs.create', { data: { name: 'Bypass and reroute', document } });
    expect(created.status(), await created.text()).toBe(200);
    graphId = ((await created.json()) as { result: { data: { graph: { id: string } } } }).result.data.graph.id;
    await page.goto(`/graphs/${graphId}`);
    for (const id of ['load', 'invert', 'grey', 'level']) await waitFor.visible(node(id).locator('.pw-node__title'));
    // Before a run, Show value says that a run will show the value.
    expect(await page.getByTestId('shown-level').textContent()).toMatch(/run the graph/);
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 0x33, g: 0x66, b: 0xaa } } }).png().toBuffer();
    await node('load').getByLabel('artifact', { exact: true }).setInputFiles({ name: 'blue.png', mimeType: 'image/png', buffer: photo });
    await waitFor.visible(node('load').getByText('Replace'));
  });

  it('says in the context menu why a node cannot be bypassed', async () => {
    await node('grey').locator('.pw-node__title').click({ button: 'right' });
    const menu = page.getByTestId('node-menu');
    await waitFor.visible(menu);
    expect(await menu.getByRole('menuitem', { name: /Bypass/ }).isDisabled()).toBe(true);
    expect(await page.getByTestId('node-menu-note').textContent()).toMatch(/cannot be bypassed: no input can stand in for output mask \(mask\)/);
    await shot(page, 'bypass-01-cannot-bypass');
    await page.keyboard.press('Escape');
    await waitFor.gone(menu);
  });

  it('bypasses a node with Ctrl+B (undoable), and the run passes its input through', async () => {
    await node('invert').locator('.pw-node__title').click();
    await page.keyboard.press('Control+b');
    await waitFor.attribute(node('invert'), 'data-bypassed', 'true');
    await waitFor.visible(page.getByTestId('bypassed-invert'));
    await page.keyboard.press('Control+z');
    await waitFor.gone(page.getByTestId('bypassed-invert'));
    await page.keyboard.press('Control+Shift+z');
    await waitFor.visible(page.getByTestId('bypassed-invert'));
    await shot(page, 'bypass-02-bypassed');

    const run = await runGraph();
    // The bypassed invert passed the blue photo on unchanged (inverted it would be #cc9955).
    expect(await middlePixel(run, 'result')).toEqual([0x33, 0x66, 0xaa]);
    // Show value draws the threshold level the run gave it, as a number.
    await waitFor.attribute(node('level'), 'data-status', 'done', 30_000);
    expect(await page.getByTestId('shown-level').getAttribute('data-kind')).toBe('number');
    expect(await page.getByTestId('shown-level').textContent()).toMatch(/^\d+(\.\d+)?$/);
    await shot(page, 'bypass-03-after-run');
  });

  let reroute = '';

  it('puts a reroute point on a double-clicked wire; it takes the image kind and the run goes through it', async () => {
    const before = await ids();
    const path = page.getByTestId('rf__edge-load.image->invert.image').locator('.react-flow__edge-path');
    const box = (await path.boundingBox())!;
    await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(async () => (await ids()).length).toBe(before.length + 1);
    reroute = (await ids()).find((id) => !before.includes(id))!;
    expect(await node(reroute).getAttribute('data-type')).toBe('util.reroute');
    await waitFor.attribute(node(reroute), 'data-kind', 'image');
    await waitFor.count(page.getByTestId(`rf__edge-load.image->${reroute}.value`), 1);
    await waitFor.count(page.getByTestId(`rf__edge-${reroute}.value->invert.image`), 1);
    await waitFor.gone(page.getByTestId('rf__edge-load.image->invert.image'));

    // Stop bypassing from the context menu: the image now goes load → reroute → invert and is inverted.
    await node('invert').locator('.pw-node__title').click({ button: 'right' });
    await page.getByTestId('node-menu').getByRole('menuitem', { name: /Stop bypassing/ }).click();
    await waitFor.gone(page.getByTestId('bypassed-invert'));
    await shot(page, 'bypass-04-reroute');
    const run = await runGraph();
    expect(await middlePixel(run, 'result')).toEqual([0xcc, 0x99, 0x55]);
  });

  it('shows an image in a Show value node fed through the reroute', async () => {
    const before = await ids();
    await page.locator('.react-flow__pane').dblclick({ position: { x: 1100, y: 120 } });
    await page.getByLabel('Search nodes').fill('show value');
    await page.getByRole('listbox', { name: 'Matching nodes' }).getByRole('option', { name: /^Show value/ }).first().click();
    await expect.poll(async () => (await ids()).length).toBe(before.length + 1);
    const show = (await ids()).find((id) => !before.includes(id))!;
    await handle(reroute, 'value', 'source').dragTo(handle(show, 'value', 'target'));
    await waitFor.count(page.getByTestId(`rf__edge-${reroute}.value->${show}.value`), 1);
    // The new node's port takes the kind of what feeds it.
    await waitFor.attribute(node(show).locator('.pw-port--in'), 'data-kind', 'image');

    await runGraph();
    await waitFor.visible(page.getByTestId(`preview-${show}`), 30_000);
    expect(await page.getByTestId(`shown-${show}`).textContent()).toBe('image 64×48, 3 channels');
    await shot(page, 'bypass-05-show-image');
  });
});
