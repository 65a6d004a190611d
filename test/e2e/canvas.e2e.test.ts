import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { GRAPH_FORMAT, GRAPH_VERSION } from '../../engine/graph-document';
import { useBrowserApp } from './browser-app';
import { shot } from './browser';
import { signUp } from './page-checks';
import { waitFor } from './wait-for';

type Box = { x: number; y: number; width: number; height: number };
const intersects = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** A PNG with a tEXt chunk `keyword` (the reader in the browser does not check CRCs, but they are written right anyway). */
async function pngWithText(keyword: string, text: string): Promise<Buffer> {
  const png = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#aa3366' } }).png().toBuffer();
  const data = Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0]), Buffer.from(text, 'latin1')]);
  const type = Buffer.from('tEXt', 'latin1');
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (const b of Buffer.concat([type, data])) crc = crcTable[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  type.copy(chunk, 4);
  data.copy(chunk, 8);
  chunk.writeUInt32BE((crc ^ 0xffffffff) >>> 0, 8 + data.length);
  // After IHDR (8 bytes signature + 25 bytes IHDR chunk).
  return Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]);
}

/**
 * The canvas keeps nodes apart and in step with the document (issue 11, items 3, 4, 6, 8):
 * the first node lands where the canvas was double-clicked and the next never on top of it,
 * a connection dropped on empty canvas offers the compatible nodes and connects the one
 * picked, a run never makes nodes cover each other (fixed preview box, collapsible), a
 * param edit marks the node "changed since run", validation errors go once fixed, and a PNG
 * carrying a graph asks "Load workflow" or "Load as image".
 */
describe('canvas layout and state in Chromium', () => {
  const session = useBrowserApp({ viewport: { width: 1400, height: 900 } });
  let page: Page;

  beforeAll(async () => {
    page = await session.newPage();
  }, 300_000);

  const node = (id: string) => page.getByTestId(`node-${id}`);
  const nodes = () => page.locator('.react-flow__node');
  const handle = (nodeId: string, port: string, side: 'source' | 'target'): Locator => node(nodeId).locator(`.react-flow__handle.${side}[data-handleid="${port}"]`);
  const newNodeId = async (before: string[]) => {
    const after = await page.locator('[data-testid^="node-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!));
    return after.find((id) => !before.includes(id))!.replace(/^node-/, '');
  };
  const ids = () => page.locator('[data-testid^="node-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!));
  const pick = async (search: string, title: string) => {
    await page.getByLabel('Search nodes').fill(search);
    await page.getByRole('listbox', { name: 'Matching nodes' }).getByRole('option', { name: new RegExp(`^${title}`) }).first().click();
  };
  async function noOverlaps(): Promise<void> {
    const boxes = (await nodes().evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as Box))).filter((b) => b.width > 0);
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(intersects(a, b), `nodes overlap: ${JSON.stringify([a, b])}`).toBe(false);
  }

  let load = '';
  let blur = '';

  it('puts the first node where the canvas was double-clicked, and the next one beside it, not on top', async () => {
    await signUp(page, 'Lin');
    const created = await page.request.post('/api/trpc/graphs.create', { data: { name: 'Canvas test' } });
    const graphId = ((await created.json()) as { result: { data: { graph: { id: string } } } }).result.data.graph.id;
    await page.goto(`/graphs/${graphId}`);
    const pane = page.locator('.react-flow__pane');
    await pane.waitFor();
    const paneBox = (await pane.boundingBox())!;

    let before = await ids();
    await pane.dblclick({ position: { x: 200, y: 220 } });
    await pick('load', 'Load image');
    await waitFor.count(page.locator('[data-testid^="node-"]'), 1);
    load = await newNodeId(before);
    const box = (await node(load).boundingBox())!;
    expect(Math.abs(box.x - (paneBox.x + 200))).toBeLessThan(4);
    expect(Math.abs(box.y - (paneBox.y + 220))).toBeLessThan(4);

    // "/" with the pointer over that node asks for a node right there: it goes to the nearest free spot.
    before = await ids();
    await pane.click({ position: { x: 900, y: 600 } });
    await page.mouse.move(box.x + 40, box.y + 40);
    await page.keyboard.press('/');
    await pick('invert', 'Invert');
    await waitFor.count(page.locator('[data-testid^="node-"]'), 2);
    const second = await newNodeId(before);
    await noOverlaps();
    await node(second).getByText('Invert', { exact: true }).first().click();
    await page.keyboard.press('Delete');
    await waitFor.gone(node(second));
  });

  it('offers the compatible nodes for a connection dropped on empty canvas and connects the one picked', async () => {
    const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#3366aa' } }).png().toBuffer();
    await node(load).getByLabel('artifact', { exact: true }).setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: photo });
    await waitFor.visible(node(load).getByText('Replace'));
    const from = (await handle(load, 'image', 'source').boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + 200, from.y + 40, { steps: 8 });
    await page.mouse.move(from.x + 320, from.y + 60, { steps: 8 });
    await page.mouse.up();
    await waitFor.visible(page.getByTestId('palette-only'));
    expect(await page.getByTestId('palette-only').textContent()).toMatch(/image/);
    // Only nodes that take an image: a text-only node is not offered.
    await page.getByLabel('Search nodes').fill('gaussian');
    const before = await ids();
    await page.getByRole('listbox', { name: 'Matching nodes' }).getByRole('option', { name: /^Gaussian blur/ }).first().click();
    await waitFor.count(page.locator('[data-testid^="node-"]'), 2);
    blur = await newNodeId(before);
    await waitFor.count(page.locator('.react-flow__edge'), 1);
    await shot(page, 'canvas-01-connected-from-drop');
  });

  it('runs without nodes covering each other; previews sit in a collapsible box', async () => {
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitFor.attribute(node(blur), 'data-status', 'done', 30_000);
    await waitFor.visible(page.getByTestId(`preview-${blur}`));
    await noOverlaps();
    await node(blur).getByRole('button', { name: /Hide preview of/ }).click();
    await waitFor.gone(page.getByTestId(`preview-${blur}`));
    await node(blur).getByRole('button', { name: /Show preview of/ }).click();
    await waitFor.visible(page.getByTestId(`preview-${blur}`));
    await shot(page, 'canvas-02-after-run');
  });

  it('marks a node changed since the run once its params change, downstream included', async () => {
    expect(await node(blur).locator('.pw-badge').textContent()).toMatch(/done/i);
    await node(blur).getByLabel('sigma', { exact: true }).fill('5');
    await node(blur).getByLabel('sigma', { exact: true }).press('Tab');
    await waitFor.visible(page.getByTestId(`stale-${blur}`));
    expect(await node(blur).locator('.pw-badge').textContent()).toMatch(/changed/i);
    expect(await page.getByTestId(`preview-${blur}`).getAttribute('data-stale')).toBe('true');
    // The load node did not change: it keeps its state.
    expect(await node(load).getAttribute('data-stale')).toBeNull();
    await shot(page, 'canvas-03-stale');
  });

  it('drops "required input not connected" as soon as the input is connected', async () => {
    const before = await ids();
    await page.locator('.react-flow__pane').dblclick({ position: { x: 480, y: 640 } });
    await pick('gaussian', 'Gaussian blur');
    const lonely = await newNodeId(before);
    await shot(page, 'canvas-04-lonely');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitFor.visible(page.getByTestId(`errors-${lonely}`), 30_000);
    expect(await page.getByTestId(`errors-${lonely}`).textContent()).toMatch(/not connected/);
    await handle(load, 'image', 'source').dragTo(handle(lonely, 'image', 'target'));
    await waitFor.gone(page.getByTestId(`errors-${lonely}`));
    // The toolbar's "Could not start the run: … not connected" was about that: it goes too.
    await waitFor.gone(page.getByText(/Could not start the run/));
    await noOverlaps();
  });

  it('shows a failure in one line inside the node, without server paths, with details on demand', async () => {
    const before = await ids();
    await page.locator('.react-flow__pane').dblclick({ position: { x: 460, y: 60 } });
    await pick('load', 'Load image');
    const broken = await newNodeId(before);
    await shot(page, 'canvas-05-broken');
    await node(broken).getByLabel('source', { exact: true }).selectOption('file');
    await node(broken).getByLabel('path', { exact: true }).fill('nowhere/missing.png');
    await node(broken).getByLabel('path', { exact: true }).press('Tab');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitFor.attribute(node(broken), 'data-status', 'failed', 30_000);
    const error = page.getByTestId(`error-${broken}`);
    await waitFor.visible(error);
    const text = (await error.textContent()) ?? '';
    expect(text).not.toMatch(/\/(work|srv|tmp|home)\//);
    const [errorBox, nodeBox] = [(await error.boundingBox())!, (await node(broken).boundingBox())!];
    expect(errorBox.height).toBeLessThan(26);
    expect(errorBox.x).toBeGreaterThanOrEqual(nodeBox.x);
    expect(errorBox.x + errorBox.width).toBeLessThanOrEqual(nodeBox.x + nodeBox.width + 0.5);
    const details = error.getByRole('button', { name: 'Show error details' });
    if (await details.count()) {
      await details.click();
      await waitFor.visible(error.getByRole('button', { name: 'Hide error details' }));
    }
    await noOverlaps();
    await shot(page, 'canvas-06-failed-node');
  });

  it('asks whether a dropped PNG that carries a graph is a workflow to load or an image', async () => {
    const document = {
      format: GRAPH_FORMAT,
      version: GRAPH_VERSION,
      nodes: [
        { id: 'blur-one', type: 'image.blur', params: { sigma: 3 } },
        { id: 'blur-two', type: 'image.blur', params: {} },
        { id: 'blur-six', type: 'image.blur', params: {} },
      ],
      edges: [],
    };
    const png = await pngWithText('pixelwire.graph', JSON.stringify(document));
    const drop = async () => {
      const transfer = await page.evaluateHandle((bytes) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(bytes)], 'sketch.png', { type: 'image/png' }));
        return dt;
      }, [...png]);
      await page.locator('.pw-canvas').dispatchEvent('drop', { dataTransfer: transfer, clientX: 900, clientY: 400 });
    };
    await drop();
    const dialog = page.getByTestId('png-drop-dialog');
    await waitFor.visible(dialog.getByRole('button', { name: 'Load workflow' }));
    await waitFor.visible(dialog.getByRole('button', { name: 'Load as image' }));
    await shot(page, 'canvas-07-png-drop');
    await dialog.getByRole('button', { name: 'Load workflow' }).click();
    await waitFor.count(page.locator('[data-testid^="node-"]'), 3);
    await waitFor.visible(node('blur-one'));
    // Loaded nodes that overlap are moved apart once measured, and auto layout uses their measured sizes.
    const apart = () => expect.poll(async () => {
      try {
        await noOverlaps();
        return true;
      } catch {
        return false;
      }
    }).toBe(true);
    await apart();
    await page.getByRole('button', { name: 'Auto layout' }).click();
    await apart();
    await shot(page, 'canvas-08-loaded-workflow');
  });
});
