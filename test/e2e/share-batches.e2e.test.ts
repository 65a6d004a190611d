import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { unzip } from '../../server/util/unzip';
import { zipStored } from '../../server/util/zip';
import { useBrowserApp } from './browser-app';
import { shot } from './browser';
import { signUp, unlabelledControls, trpc } from './page-checks';
import { waitFor } from './wait-for';

/**
 * Batches with ZIPs in a real browser, two people: Ada runs a batch from the editor over a ZIP of two images and one
 * more image (3/3); Ben, a second account, opens her run link, runs a batch of an image and a ZIP of two (its other
 * files skipped) from the app-mode page, sees 3/3 with the results there and on the batch page (without any way
 * into the graph), downloads the ZIP of outputs; a damaged ZIP is refused with the server's reason and starts nothing.
 */
describe('batches from ZIPs, in the editor and through a run link, in Chromium', () => {
  const session = useBrowserApp({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const newPage = () => session.newPage();
  let ada: Page;
  let ben: Page;
  let graphId = '';
  let runLink = '';
  const images: Buffer[] = [];

  const zipOf = (...entries: [string, Buffer][]) => zipStored(entries.map(([name, bytes]) => ({ name, bytes })));

  beforeAll(async () => {
    [ada, ben] = await Promise.all([newPage(), newPage()]);
    for (const colour of ['#aa6633', '#3366aa', '#33aa66', '#aa3366', '#66aa33']) {
      images.push(await sharp({ create: { width: 120, height: 90, channels: 3, background: colour } }).png().toBuffer());
    }
    await signUp(ada, 'Ada');
    const document: unknown = JSON.parse(await readFile(new URL('../../examples/watermark.json', import.meta.url), 'utf8'));
    graphId = (await trpc<{ graph: { id: string } }>(ada, 'graphs.create', { name: 'Watermark', document })).graph.id;
    runLink = (await trpc<{ path: string }>(ada, 'shares.create', { graphId, kind: 'run' })).path;
    await signUp(ben, 'Ben');
  }, 300_000);

  it('runs a batch over a ZIP and an image from the editor: the ZIP is unpacked on the server, 3/3', async () => {
    await ada.goto(`/graphs/${graphId}`);
    await ada.locator('.react-flow__pane').waitFor();
    await ada.getByTestId('run-save-toolbar').getByRole('button', { name: 'Run batch…' }).click();
    const dialog = ada.getByRole('dialog', { name: 'Run batch' });
    await waitFor.visible(dialog);
    await dialog.getByLabel('Images for photo (one run each)').setInputFiles([
      { name: 'pair.zip', mimeType: 'application/zip', buffer: zipOf(['one.png', images[0]!], ['two.png', images[1]!]) },
      { name: 'three.png', mimeType: 'image/png', buffer: images[2]! },
    ]);
    const picked = dialog.getByRole('list', { name: 'Picked images' }).getByRole('listitem');
    await waitFor.count(picked, 2);
    expect(await picked.allTextContents()).toEqual(['pair.zip (ZIP: one run per image in it)', 'three.png']);
    expect(await unlabelledControls(dialog)).toEqual([]);
    await dialog.getByRole('button', { name: 'Run batch' }).click();
    await ada.waitForURL('**/batches/*');
    await expect.poll(() => ada.getByTestId('batch-count').textContent(), { timeout: 120_000 }).toBe('3/3');
    await waitFor.count(ada.getByRole('list', { name: 'Batch results' }).locator('figure[data-status="succeeded"]'), 3);
    // Her own graph's batch links back to the graph and to each item's details.
    await waitFor.visible(ada.getByRole('link', { name: '← Watermark' }));
    await waitFor.count(ada.getByRole('link', { name: /^Details of item / }), 3);
    await shot(ada, 'share-batches-01-editor-zip-batch');
  });

  it('runs a batch of an image and a ZIP of two from a run link as a second user: 3/3 and the results on the page', async () => {
    await ben.goto(runLink);
    const page = ben.getByTestId('share-app');
    await waitFor.visible(page);
    const section = ben.getByTestId('share-batch');
    await section.getByText(/^Run a batch/).click();
    const form = section.getByRole('form', { name: 'Run a batch of Watermark' });
    await waitFor.visible(form);
    await waitFor.visible(form.getByText('this link allows you 30 more runs this hour'));
    expect(await form.getByLabel('Vary').inputValue()).toBe('photo');
    // The other inputs, the same for every run, start at their defaults.
    await waitFor.value(form.getByLabel(/^caption/), '© Pixelwire');
    await form.getByLabel(/^caption/).fill('Batch by Ben');
    await form.getByLabel('Images for photo (one run each)').setInputFiles([
      { name: 'first.png', mimeType: 'image/png', buffer: images[3]! },
      { name: 'more.zip', mimeType: 'application/zip', buffer: zipOf(['more/a.png', images[4]!], ['more/readme.txt', Buffer.from('not an image')], ['more/b.png', images[0]!]) },
    ]);
    await waitFor.count(form.getByRole('list', { name: 'Picked files' }).getByRole('listitem'), 2);
    expect(await unlabelledControls(page)).toEqual([]);
    await shot(ben, 'share-batches-02-link-batch-form');
    await form.getByRole('button', { name: 'Run batch' }).click();

    const count = page.getByTestId('batch-count');
    await expect.poll(() => count.textContent(), { timeout: 120_000 }).toBe('3/3');
    const results = page.getByRole('list', { name: 'Batch results' });
    await waitFor.count(results.locator('figure[data-status="succeeded"]'), 3);
    const thumbs = results.getByRole('img');
    await waitFor.count(thumbs, 3);
    await expect.poll(() => thumbs.evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)), { timeout: 15_000 }).toBe(true);
    // In the order picked (the image, then the ZIP's images), each with the caption Ben gave the whole batch.
    expect(await results.locator('figure').evaluateAll((figures) => figures.map((f) => f.getAttribute('data-item')))).toEqual(['1', '2', '3']);
    for (const text of await results.locator('figure').allTextContents()) expect(text).toContain('caption=Batch by Ben');
    // Each item counted as a run of the link; nothing in the results leads into Ada's graph.
    await waitFor.visible(form.getByText('this link allows you 27 more runs this hour'));
    expect(await page.getByRole('link', { name: /^Details of item / }).count()).toBe(0);
    await count.scrollIntoViewIfNeeded();
    await shot(ben, 'share-batches-03-link-batch-done');

    // The batch page works for Ben too, as the link allows: results, the ZIP, no graph.
    const href = (await page.getByRole('link', { name: 'Open the batch page' }).getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/batches\/[^/]+$/);
    await ben.goto(href);
    await expect.poll(() => ben.getByTestId('batch-count').textContent(), { timeout: 15_000 }).toBe('3/3');
    expect(await ben.getByRole('heading', { level: 1 }).textContent()).toBe('Batch of Watermark');
    await waitFor.visible(ben.getByText('Started through a shared link.'));
    expect(await ben.getByRole('link', { name: /Watermark|Details/ }).count()).toBe(0);
    expect(await unlabelledControls(ben)).toEqual([]);
    const zipHref = (await ben.getByTestId('batch-zip').getAttribute('href')) ?? '';
    const response = await ben.request.get(zipHref);
    expect(response.status()).toBe(200);
    const names = unzip(await response.body(), { maxEntries: 100, maxBytes: 1 << 28 }).map((e) => e.name);
    expect(names).toEqual(['1-marked.png', '2-marked.png', '3-marked.png', 'results.json']);
    await shot(ben, 'share-batches-04-batch-page');
  });

  it('refuses a damaged ZIP with the server\'s reason; nothing starts', async () => {
    await ben.goto(runLink);
    const section = ben.getByTestId('share-batch');
    await section.getByText(/^Run a batch/).click();
    const form = section.getByRole('form', { name: 'Run a batch of Watermark' });
    await waitFor.visible(form.getByText('this link allows you 27 more runs this hour'));
    await form.getByLabel('Images for photo (one run each)').setInputFiles([{ name: 'broken.zip', mimeType: 'application/zip', buffer: Buffer.from('PK this is not really a zip') }]);
    await form.getByRole('button', { name: 'Run batch' }).click();
    const alert = form.getByRole('alert');
    await waitFor.visible(alert);
    expect(await alert.textContent()).toMatch(/^Could not start the batch: Could not read broken\.zip: the file could not be read as a ZIP: /);
    expect(await ben.getByTestId('batch-count').count()).toBe(0);
    await ben.reload();
    await ben.getByTestId('share-batch').getByText(/^Run a batch/).click();
    await waitFor.visible(ben.getByTestId('share-batch').getByText('this link allows you 27 more runs this hour'));
    await shot(ben, 'share-batches-05-bad-zip');
  });
});
