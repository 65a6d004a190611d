import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { GRAPH_FORMAT, GRAPH_VERSION } from '../../engine/graph-document';
import { useBrowserApp } from './browser-app';
import { shot } from './browser';
import { signUp } from './page-checks';
import { waitFor } from './wait-for';

type DocNode = { id: string; type: string; params?: Record<string, unknown>; position: { x: number; y: number } };
type DocEdge = { from: { node: string; port: string }; to: { node: string; port: string } };

/**
 * Param widgets (issue 11, item 7): labels from the declaration, whole and in words; params
 * that do not apply are hidden (Load image's path for an upload, prompt and size for a
 * class-conditioned model, the model param once a model is wired); class labels picked from
 * the model's manifest; no emoji; images by file name and thumbnail, not by hash; an empty
 * Load image asks to choose an image.
 */
describe('param widgets in Chromium', () => {
  const session = useBrowserApp({ viewport: { width: 1600, height: 1000 } });
  let page: Page;

  beforeAll(async () => {
    page = await session.newPage();
    await signUp(page, 'Noor');
  }, 300_000);

  const node = (id: string) => page.getByTestId(`node-${id}`);
  const row = (id: string, param: string) => node(id).locator(`.pw-param[data-param="${param}"]`);

  /** Opens a new graph holding these nodes and edges, and waits for them on the canvas. */
  async function openGraph(name: string, nodes: DocNode[], edges: DocEdge[] = []): Promise<void> {
    const document = { format: GRAPH_FORMAT, version: GRAPH_VERSION, nodes, edges };
    const created = await page.request.post('/api/trpc/graphs.create', { data: { name, document } });
    expect(created.status(), await created.text()).toBe(200);
    const graphId = ((await created.json()) as { result: { data: { graph: { id: string } } } }).result.data.graph.id;
    await page.goto(`/graphs/${graphId}`);
    await waitFor.count(page.locator('[data-testid^="node-"]'), nodes.length);
    for (const n of nodes) await waitFor.visible(node(n.id).locator('.pw-node__title'));
  }

  it('labels params in words from the declaration, whole, never cut off', async () => {
    await openGraph('Labels', [
      { id: 'read', type: 'ocr.read', position: { x: 0, y: 0 } },
      { id: 'text', type: 'image.draw-text', params: { background: true }, position: { x: 300, y: 0 } },
      { id: 'cartoon', type: 'style.cartoon', position: { x: 600, y: 0 } },
      { id: 'style', type: 'style.fast', position: { x: 900, y: 0 } },
      { id: 'save', type: 'image.save', position: { x: 1200, y: 0 } },
    ]);
    await waitFor.visible(row('read', 'boxThreshold'));
    const labels = await page.locator('.pw-param__name').evaluateAll((els) =>
      els.map((el) => ({ text: el.textContent ?? '', cut: el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1 })),
    );
    expect(labels.length).toBeGreaterThan(20);
    for (const label of labels) {
      expect(label.cut, `label "${label.text}" is cut off`).toBe(false);
      expect(label.text).not.toMatch(/…$|[a-z][A-Z]/);
    }
    expect(await row('read', 'boxThreshold').locator('.pw-param__name').textContent()).toBe('Box threshold');
    expect(await row('read', 'minConfidence').locator('.pw-param__name').textContent()).toBe('Min confidence');
    expect(await row('text', 'backgroundColour').locator('.pw-param__name').textContent()).toBe('Background colour');
    expect(await row('cartoon', 'smoothingSize').locator('.pw-param__name').textContent()).toBe('Smoothing size');
    // A label wraps inside its column rather than running into the widget.
    const [label, widget] = await Promise.all([row('text', 'backgroundColour').locator('.pw-param__name').boundingBox(), row('text', 'backgroundColour').locator('input').first().boundingBox()]);
    expect(label!.x + label!.width).toBeLessThanOrEqual(widget!.x);
    // Save: quality is for JPEG and WebP only, embedGraph for PNG only.
    expect(await row('save', 'quality').count()).toBe(0);
    await node('save').getByLabel('format', { exact: true }).selectOption('jpeg');
    await waitFor.visible(row('save', 'quality'));
    await waitFor.gone(row('save', 'embedGraph'));
    await shot(page, 'params-01-labels');
  });

  it('asks an empty Load image to choose an image; shows the path only for a file, an upload by name and thumbnail', async () => {
    await openGraph(
      'Load',
      [
        { id: 'load', type: 'image.load', position: { x: 0, y: 0 } },
        { id: 'invert', type: 'image.invert', position: { x: 320, y: 0 } },
      ],
      [{ from: { node: 'load', port: 'image' }, to: { node: 'invert', port: 'image' } }],
    );
    await waitFor.visible(row('load', 'artifact').getByText('choose an image'));
    expect(await row('load', 'path').count()).toBe(0);
    expect(await row('load', 'artifact').locator('.pw-param__name').textContent()).toBe('Image');

    // Run as it is: the node asks for an image; nobody says "you may not read".
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitFor.attribute(node('load'), 'data-status', 'failed', 30_000);
    await waitFor.visible(page.getByTestId('error-load'));
    // Named by its label, as the row shows it.
    expect(await page.getByTestId('error-load').textContent()).toContain('Image: choose an image');
    expect(await page.locator('body').textContent()).not.toMatch(/may not read/);
    await shot(page, 'params-02-empty-load');

    // A file source shows the path and hides the image; back to an upload, the other way round.
    await node('load').getByLabel('source', { exact: true }).selectOption('file');
    await waitFor.visible(row('load', 'path'));
    await waitFor.gone(row('load', 'artifact'));
    expect(await row('load', 'path').locator('.pw-param__name').textContent()).toBe('File path');
    await node('load').getByLabel('source', { exact: true }).selectOption('artifact');
    await waitFor.gone(row('load', 'path'));

    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#2266aa' } }).png().toBuffer();
    await node('load').getByLabel('artifact', { exact: true }).setInputFiles({ name: 'holiday-beach.png', mimeType: 'image/png', buffer: photo });
    await waitFor.visible(row('load', 'artifact').getByText('holiday-beach.png'));
    // Readable, not squeezed beside the thumbnail and the button.
    const name = row('load', 'artifact').locator('.pw-artifact__name');
    expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1)).toBe(true);
    expect((await name.boundingBox())!.width).toBeGreaterThan(60);
    const thumbnail = node('load').getByAltText('artifact thumbnail');
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await node('load').textContent()).not.toMatch(/[0-9a-f]{10}/);

    // The hidden image is kept while the source is a file, and the name comes back from the server after a reload.
    await node('load').getByLabel('source', { exact: true }).selectOption('file');
    await waitFor.gone(row('load', 'artifact'));
    await node('load').getByLabel('source', { exact: true }).selectOption('artifact');
    await waitFor.visible(row('load', 'artifact').getByText('holiday-beach.png'));
    await page.keyboard.press('Control+s');
    await page.getByLabel('Version message').fill('with a photo');
    await page.getByRole('button', { name: 'Save version' }).click();
    await waitFor.gone(page.getByTestId('unsaved'));
    await page.reload();
    await waitFor.visible(row('load', 'artifact').getByText('holiday-beach.png'));
    const reloaded = node('load').getByAltText('artifact thumbnail');
    expect(await reloaded.getAttribute('src')).toMatch(/^\/api\/uploads\/[0-9a-f]{64}$/);
    await expect.poll(() => reloaded.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await node('load').textContent()).not.toMatch(/[0-9a-f]{10}/);
    await shot(page, 'params-03-uploaded');
  });

  it('shows a class-conditioned model its classes as a picker and hides the prompt and size; the model is picked in one place', async () => {
    await openGraph('Diffusion', [
      { id: 'sample', type: 'diffusion.sample', params: { steps: 2 }, position: { x: 360, y: 0 } },
      { id: 'model', type: 'diffusion.load-model', position: { x: 0, y: 0 } },
    ]);
    const classPicker = node('sample').getByLabel('classLabel', { exact: true });
    // A text box until the model's classes arrive from the server, then the picker.
    await expect.poll(() => classPicker.evaluate((el) => el.tagName), { timeout: 15_000 }).toBe('SELECT');
    const options = await classPicker.locator('option').allTextContents();
    expect(options).toEqual(expect.arrayContaining(['(none: unconditional)', 'Trouser', 'Ankle boot']));
    await classPicker.selectOption('Trouser');
    for (const hidden of ['prompt', 'negativePrompt', 'width', 'height']) expect(await row('sample', hidden).count(), hidden).toBe(0);
    expect(await row('sample', 'classLabel').locator('.pw-param__name').textContent()).toBe('Class');
    expect(await row('sample', 'modelName').locator('.pw-param__name').textContent()).toBe('Model');

    // eta applies to ddim and euler, not to ddpm.
    await waitFor.visible(row('sample', 'eta'));
    await node('sample').getByLabel('scheduler', { exact: true }).selectOption('ddpm');
    await waitFor.gone(row('sample', 'eta'));

    // The seed's randomise button is drawn, not an emoji.
    const dice = node('sample').getByRole('button', { name: 'Randomise' });
    expect(await dice.locator('svg').count()).toBe(1);
    expect(((await dice.textContent()) ?? '').trim()).toBe('');
    expect(await node('sample').textContent()).not.toMatch(/\p{Emoji_Presentation}/u);

    // Wiring Load diffusion model's output into the sampler: the sampler's own model param goes; the loader picks it.
    await node('model').locator('.react-flow__handle.source[data-handleid="model"]').dragTo(node('sample').locator('.react-flow__handle.target[data-handleid="model"]'));
    await waitFor.count(page.locator('.react-flow__edge'), 1);
    await waitFor.gone(row('sample', 'modelName'));
    await waitFor.visible(row('model', 'modelName'));
    // The class picker still knows the model, through the wire, and the value chosen is kept.
    expect(await node('sample').getByLabel('classLabel', { exact: true }).inputValue()).toBe('Trouser');
    await shot(page, 'params-04-diffusion');
  });
});
