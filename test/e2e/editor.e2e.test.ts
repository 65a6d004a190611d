import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { useBrowserApp } from './browser-app';
import { shot } from './browser';
import { signUp, unlabelledControls } from './page-checks';
import { waitFor } from './wait-for';

/**
 * The editor in a real browser against the real production build: sign up, build
 * load → blur → save from the palette by dragging connections, run and watch
 * previews stream in, re-run with cached upstream nodes, save, reload (the upload's
 * thumbnail then comes from the server), restore, and a refused connection.
 */
describe('editor in Chromium', () => {
  const session = useBrowserApp({ viewport: { width: 1400, height: 900 } });
  let page: Page;

  beforeAll(async () => {
    page = await session.newPage();
  }, 300_000);

  const node = (id: string) => page.getByTestId(`node-${id}`);
  const handle = (nodeId: string, port: string, side: 'source' | 'target'): Locator =>
    node(nodeId).locator(`.react-flow__handle.${side}[data-handleid="${port}"]`);

  async function addNode(search: string, title: string, at: { x: number; y: number }): Promise<string> {
    const before = await page.locator('[data-testid^="node-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    await page.locator('.react-flow__pane').dblclick({ position: at });
    await page.getByLabel('Search nodes').fill(search);
    await page.getByRole('listbox', { name: 'Matching nodes' }).getByRole('option', { name: new RegExp(`^${title}`) }).first().click();
    await expect.poll(async () => page.locator('[data-testid^="node-"]').count()).toBe(before.length + 1);
    const after = await page.locator('[data-testid^="node-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    return after.find((id) => !before.includes(id))!.replace(/^node-/, '');
  }

  async function connect(from: [string, string], to: [string, string]): Promise<void> {
    await handle(from[0], from[1], 'source').dragTo(handle(to[0], to[1], 'target'));
  }

  it('signs up', async () => {
    await signUp(page, 'Ada');
    await shot(page, '01-library');
  });

  let graphId = '';
  let load = '';
  let blur = '';
  let save = '';

  it('builds load → blur → save from the palette and dragged connections', async () => {
    const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#3366aa', noise: { type: 'gaussian', mean: 120, sigma: 40 } } })
      .png()
      .toBuffer();
    const created = await page.request.post('/api/trpc/graphs.create', { data: { name: 'Browser test' } });
    graphId = ((await created.json()) as { result: { data: { graph: { id: string } } } }).result.data.graph.id;
    await page.goto(`/graphs/${graphId}`);
    await page.locator('.react-flow__pane').waitFor();

    load = await addNode('load', 'Load image', { x: 150, y: 200 });
    blur = await addNode('gaussian', 'Gaussian blur', { x: 500, y: 200 });
    save = await addNode('save', 'Save image', { x: 850, y: 200 });
    // The image picker uploads the file and sets the node's artifact param.
    await node(load).getByLabel('artifact', { exact: true }).setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: photo });
    await waitFor.visible(node(load).getByText('Replace'));
    await connect([load, 'image'], [blur, 'image']);
    await connect([blur, 'image'], [save, 'image']);
    await waitFor.count(page.locator('.react-flow__edge'), 2);

    await node(blur).getByLabel('sigma', { exact: true }).fill('4');
    await node(blur).getByLabel('sigma', { exact: true }).press('Tab');
    await waitFor.visible(page.getByTestId('unsaved'));
    await shot(page, '02-built');
  });

  it('refuses a connection between incompatible ports and says why', async () => {
    const text = await addNode('draw text', 'Draw text', { x: 150, y: 680 });
    await connect([blur, 'image'], [text, 'text']);
    await waitFor.visible(page.getByRole('status').filter({ hasText: /cannot connect/i }));
    await waitFor.count(page.locator('.react-flow__edge'), 2);
    // Select by its title (not a widget), then delete from the keyboard.
    await node(text).getByText('Draw text', { exact: true }).click();
    await page.keyboard.press('Delete');
    await waitFor.gone(node(text));
    await shot(page, '03-refused-connection');
  });

  it('offers the installed models for a model param', async () => {
    const noise = await addNode('diffusion noise', 'Diffusion noise', { x: 150, y: 680 });
    const picker = node(noise).getByLabel('modelName');
    // The repository's models folder holds fashion-unet (catalogue.models lists it).
    await expect.poll(async () => picker.locator('option').allTextContents()).toEqual(['fashion-unet']);
    expect(await picker.inputValue()).toBe('fashion-unet');
    await node(noise).getByText('Diffusion noise', { exact: true }).click();
    await page.keyboard.press('Delete');
    await waitFor.gone(node(noise));
  });

  it('runs, streams previews onto the nodes, and re-runs only what changed', async () => {
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitFor.visible(page.getByTestId(`preview-${blur}`), 30_000);
    await waitFor.attribute(node(save), 'data-status', 'done', 30_000);
    await shot(page, '04-run-previews');

    await node(blur).getByLabel('sigma', { exact: true }).fill('2');
    await node(blur).getByLabel('sigma', { exact: true }).press('Tab');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitFor.attribute(node(save), 'data-status', 'done', 30_000);
    await waitFor.attribute(node(load), 'data-status', 'cached');
    await waitFor.attribute(node(blur), 'data-status', 'done');
    await shot(page, '05-rerun-cached');
    // Runs carry the canvas with them: running made no version, and the changes are still unsaved.
    await waitFor.visible(page.getByTestId('unsaved'));
    await page.getByRole('tab', { name: 'History' }).click();
    expect(await page.getByRole('listitem').filter({ hasText: 'autosave' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'Output' }).click();
  });

  it('saves with Ctrl+S, reloads intact, and restores an older version', async () => {
    await page.keyboard.press('Control+s');
    await page.getByLabel('Version message').fill('sigma two');
    await page.getByRole('button', { name: 'Save version' }).click();
    await waitFor.gone(page.getByTestId('unsaved'));
    await node(blur).getByLabel('sigma', { exact: true }).fill('7');
    await node(blur).getByLabel('sigma', { exact: true }).press('Tab');
    await page.keyboard.press('Control+s');
    await page.getByLabel('Version message').fill('sigma seven');
    await page.getByRole('button', { name: 'Save version' }).click();
    await waitFor.gone(page.getByTestId('unsaved'));

    await page.reload();
    await waitFor.count(page.locator('[data-testid^="node-"]'), 3);
    await waitFor.count(page.locator('.react-flow__edge'), 2);
    await waitFor.value(node(blur).getByLabel('sigma', { exact: true }), '7');
    // The upload's thumbnail now comes from the server by its sha256, not from this tab's memory.
    const thumbnail = node(load).getByAltText('artifact thumbnail');
    expect(await thumbnail.getAttribute('src')).toMatch(/^\/api\/uploads\/[0-9a-f]{64}$/);
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);
    await shot(page, '06-reloaded');

    await page.getByRole('tab', { name: 'History' }).click();
    const older = page.getByRole('listitem').filter({ hasText: 'sigma two' }).first();
    await older.getByRole('button', { name: 'Restore' }).click();
    await waitFor.value(node(blur).getByLabel('sigma', { exact: true }), '2');
    await shot(page, '07-restored');
  });

  it('labels every control and shows a visible focus ring, in light and dark themes', async () => {
    expect(await unlabelledControls(page)).toEqual([]);

    // Keyboard focus (Tab) must be visible on whatever it lands on.
    await page.getByRole('link', { name: /Graphs/ }).first().focus();
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      const style = String(await page.evaluate(`(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.boxShadow; })()`));
      expect(style.startsWith('none') && style.includes(' none')).toBe(false);
    }

    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, '08-dark-theme');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
