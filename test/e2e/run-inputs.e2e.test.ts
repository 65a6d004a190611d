import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from './browser-app';
import { shot } from './browser';
import { signUp, unlabelledControls } from './page-checks';
import { waitFor } from './wait-for';

/**
 * Running a graph that declares inputs (examples/watermark.json: a required image `photo`,
 * optional `caption` and `strength`) from the editor: Run asks for them in a dialog, a missing
 * image blocks the run with an inline error, the uploaded image runs, Ctrl+Enter runs again with
 * the same inputs, the values are remembered after a reload, and the run detail shows them.
 */
describe('Run with inputs in Chromium', () => {
  const session = useBrowserApp({ viewport: { width: 1400, height: 900 } });
  let page: Page;
  let graphId = '';
  let photo: Buffer;
  let photoSha = '';

  beforeAll(async () => {
    page = await session.newPage();
    photo = await sharp({ create: { width: 160, height: 120, channels: 3, background: '#aa6633' } }).png().toBuffer();
    photoSha = createHash('sha256').update(photo).digest('hex');
  }, 300_000);

  const dialog = () => page.getByRole('dialog', { name: 'Run with inputs' });
  const runButton = () => page.getByTestId('run-save-toolbar').getByRole('button', { name: 'Run', exact: true });
  const runStatus = () => page.locator('[data-run-status]');
  /** The test id of the dialog the focused element is in ('' when it is outside every dialog). */
  const focusedDialog = () => page.evaluate(() => document.activeElement?.closest('dialog')?.getAttribute('data-testid') ?? '');
  const runs = async () => {
    const response = await page.request.get(`/api/trpc/runs.list?input=${encodeURIComponent(JSON.stringify({ graphId }))}`);
    const body = (await response.json()) as { result: { data: { items: { id: string; status: string; inputs: unknown }[] } } };
    return body.result.data.items;
  };
  it('signs up and creates the watermark graph from its JSON document', async () => {
    await signUp(page, 'Grace');

    const document: unknown = JSON.parse(await readFile(new URL('../../examples/watermark.json', import.meta.url), 'utf8'));
    const created = await page.request.post('/api/trpc/graphs.create', { data: { name: 'Watermark', document } });
    expect(created.ok()).toBe(true);
    graphId = ((await created.json()) as { result: { data: { graph: { id: string } } } }).result.data.graph.id;
    await page.goto(`/graphs/${graphId}`);
    await page.locator('.react-flow__pane').waitFor();
    await waitFor.attribute(runStatus(), 'data-run-status', 'idle');
  });

  it('asks for the inputs, prefilled with their defaults, with every control labelled', async () => {
    await expect.poll(() => runButton().getAttribute('aria-haspopup')).toBe('dialog');
    await runButton().click();
    await waitFor.visible(dialog());
    await waitFor.value(dialog().getByLabel('caption', { exact: true }), '© Pixelwire');
    await waitFor.value(dialog().getByLabel('strength', { exact: true }), '0.6');
    await waitFor.visible(dialog().getByText('The picture to mark'));
    expect(await unlabelledControls(dialog())).toEqual([]);
    // Focus starts on the input that still needs a value.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('photo');
    await shot(page, 'run-inputs-01-dialog');
  });

  it('keeps focus inside the dialog', async () => {
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      expect(await focusedDialog()).toBe('run-inputs-dialog');
    }
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await focusedDialog()).toBe('run-inputs-dialog');
    }
  });

  it('refuses to run without the required image, with a labelled inline error', async () => {
    await dialog().getByRole('button', { name: 'Run', exact: true }).click();
    const error = dialog().getByRole('alert');
    await waitFor.visible(error);
    expect(await error.textContent()).toBe('photo is required: upload an image');
    const field = dialog().getByLabel('photo', { exact: true });
    await waitFor.attribute(field, 'aria-invalid', 'true');
    // The error describes the control, and focus is taken to it.
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    expect(describedBy.split(' ')).toContain(await error.getAttribute('id'));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('photo');
    expect(await runStatus().getAttribute('data-run-status')).toBe('idle');
    expect(await runs()).toEqual([]);
    await shot(page, 'run-inputs-02-required');
  });

  it('closes on Escape and gives focus back to the Run button', async () => {
    await page.keyboard.press('Escape');
    await waitFor.gone(dialog());
    expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="run-save-toolbar"]') !== null && document.activeElement?.textContent)).toBe('Run');
  });

  it('runs with an uploaded image from the dialog (Ctrl+Enter)', async () => {
    // Ctrl+Enter on the canvas: no run from the dialog yet on this page, so it asks.
    await page.getByTestId('canvas').focus();
    await page.keyboard.press('Control+Enter');
    await waitFor.visible(dialog());
    await dialog().getByLabel('photo', { exact: true }).setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: photo });
    await waitFor.visible(dialog().getByText('Replace'));
    await waitFor.gone(dialog().getByRole('alert'));
    await dialog().getByLabel('strength', { exact: true }).fill('0.4');
    await shot(page, 'run-inputs-03-filled');
    await dialog().getByLabel('strength', { exact: true }).press('Control+Enter');
    await waitFor.gone(dialog());
    await waitFor.attribute(runStatus(), 'data-run-status', 'succeeded', 60_000);
    const [run] = await runs();
    expect(run).toMatchObject({ status: 'succeeded', inputs: { photo: photoSha, caption: '© Pixelwire', strength: 0.4 } });
    await shot(page, 'run-inputs-04-succeeded');
  });

  it('runs again with the same inputs on Ctrl+Enter, without the dialog', async () => {
    await page.getByTestId('canvas').focus();
    await page.keyboard.press('Control+Enter');
    await expect.poll(async () => (await runs()).length, { timeout: 15_000 }).toBe(2);
    expect(await dialog().count()).toBe(0);
    await expect.poll(async () => (await runs())[0]?.status, { timeout: 60_000 }).toBe('succeeded');
    await waitFor.attribute(runStatus(), 'data-run-status', 'succeeded', 60_000);
    const [again, first] = await runs();
    expect(again?.inputs).toEqual(first?.inputs);
  });

  it('remembers the values for this graph after a reload; Enter runs', async () => {
    await page.reload();
    await page.locator('.react-flow__pane').waitFor();
    await runButton().click();
    await waitFor.visible(dialog());
    await waitFor.value(dialog().getByLabel('strength', { exact: true }), '0.4');
    // The image by its file name (kept by the server), not by its hash.
    await waitFor.visible(dialog().getByText('photo.png'));
    expect(await dialog().textContent()).not.toContain(photoSha.slice(0, 10));
    // Nothing needs a value, so focus is on Run: Enter runs.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Run');
    await page.keyboard.press('Enter');
    await waitFor.gone(dialog());
    await expect.poll(async () => (await runs()).length, { timeout: 15_000 }).toBe(3);
    await expect.poll(async () => (await runs())[0]?.status, { timeout: 60_000 }).toBe('succeeded');
  });

  it('lists Ctrl+Enter in the shortcut help, which uses the same modal dialog', async () => {
    await page.getByTestId('canvas').focus();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await waitFor.visible(help.getByText('Ctrl+Enter', { exact: true }));
    expect(await page.evaluate(() => document.activeElement?.closest('dialog')?.getAttribute('aria-labelledby') ?? null)).not.toBeNull();
    await page.keyboard.press('Escape');
    await waitFor.gone(help);
  });

  it('shows the inputs a run used in its detail', async () => {
    const [latest] = await runs();
    await page.goto(`/graphs/${graphId}/runs?run=${latest!.id}`);
    const inputs = page.getByTestId('run-inputs');
    await waitFor.visible(inputs);
    // Kinds come from the run's graph version, which loads after the run itself.
    await expect.poll(async () => (await inputs.textContent()) ?? '').toContain('photo (image)');
    // The image by its file name and thumbnail, not by its hash (which stays on hover).
    await expect.poll(async () => (await inputs.textContent()) ?? '').toContain('photo.png');
    const text = (await inputs.textContent()) ?? '';
    expect(text).not.toContain(photoSha.slice(0, 12));
    expect(await inputs.getByTestId('run-input-image').getAttribute('title')).toBe(photoSha);
    await waitFor.visible(inputs.locator(`img[src="/api/uploads/${photoSha}"]`));
    expect(text).toContain('strength (number)0.4');
    expect(text).toContain('caption (text)© Pixelwire');
    await shot(page, 'run-inputs-05-detail');
  });
});
