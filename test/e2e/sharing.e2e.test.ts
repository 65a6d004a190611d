import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from './browser-app';
import { shot } from './browser';
import { signUp, unlabelledControls, trpc } from './page-checks';
import { waitFor } from './wait-for';

/**
 * Sharing in a real browser, two people at once: Ada saves the watermark graph (a required image
 * input), makes a run link in the editor's Share dialog; Ben, signed out, is asked to sign in, signs
 * up and comes back to the link, uploads an image, runs it, sees the output and downloads it; Ada
 * revokes the link and Ben's reload says it does not exist or was revoked; a team invitation shows Ben
 * a badge in the header. Then a batch of two images
 * from the editor reaches 2/2 on the batch page with its ZIP, and History compares two versions,
 * listing the param change and marking the node on the canvas.
 */
describe('share links, batches and version diff in Chromium', () => {
  const session = useBrowserApp({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const newPage = () => session.newPage();
  let ada: Page;
  let ben: Page;
  let graphId = '';
  let runLink = '';
  const benEmail = `ben-${Date.now()}@example.com`;
  const images: Buffer[] = [];

  const toolbar = () => ada.getByTestId('run-save-toolbar');
  const shareDialog = () => ada.getByRole('dialog', { name: 'Share this graph' });
  const openEditor = async () => {
    await ada.goto(`/graphs/${graphId}`);
    await ada.locator('.react-flow__pane').waitFor();
    // Settled: nothing running (the editor may replay the graph's latest finished run on opening).
    await expect.poll(() => ada.locator('[data-run-status]').getAttribute('data-run-status'), { timeout: 15_000 }).toMatch(/^(idle|succeeded|failed|cancelled)$/);
  };

  beforeAll(async () => {
    [ada, ben] = await Promise.all([newPage(), newPage()]);
    for (const colour of ['#aa6633', '#3366aa', '#33aa66']) {
      images.push(await sharp({ create: { width: 160, height: 120, channels: 3, background: colour } }).png().toBuffer());
    }
    await signUp(ada, 'Ada');
    const document: unknown = JSON.parse(await readFile(new URL('../../examples/watermark.json', import.meta.url), 'utf8'));
    const created = await trpc<{ graph: { id: string } }>(ada, 'graphs.create', { name: 'Watermark', document });
    graphId = created.graph.id;
  }, 300_000);

  it('makes a run link in the Share dialog, shown once with Copy, and lists it', async () => {
    await openEditor();
    await toolbar().getByRole('button', { name: 'Share…' }).click();
    await waitFor.visible(shareDialog());
    await waitFor.visible(shareDialog().getByText('No links yet.'));
    await shareDialog().getByLabel(/^Run/).check();
    await shareDialog().getByLabel('Expires').selectOption({ label: 'In 7 days' });
    await shareDialog().getByRole('button', { name: 'Create link' }).click();
    const url = shareDialog().getByLabel(/New run link/);
    await waitFor.visible(url);
    runLink = await url.inputValue();
    expect(runLink).toMatch(new RegExp(`^${session.app.url}/s/pws_[A-Za-z0-9_-]{32}$`));
    await waitFor.visible(shareDialog().getByRole('button', { name: 'Copy' }));
    const row = shareDialog().locator('tr[data-link-kind="run"]');
    await waitFor.count(row, 1);
    expect(await row.getAttribute('data-link-state')).toBe('active');
    expect(await unlabelledControls(shareDialog())).toEqual([]);
    await shot(ada, 'sharing-01-share-dialog');
    await ada.keyboard.press('Escape');
    await waitFor.gone(shareDialog());
  });

  it('shows a view link to someone signed out: the graph read-only', async () => {
    const view = await trpc<{ path: string }>(ada, 'shares.create', { graphId, kind: 'view' });
    await ben.goto(view.path);
    const article = ben.getByTestId('share-view');
    await waitFor.visible(article);
    expect(await article.getByRole('heading', { level: 1 }).textContent()).toBe('Watermark');
    await waitFor.count(article.getByRole('list', { name: 'Nodes' }).getByRole('listitem'), 3);
    await waitFor.visible(ben.getByRole('img', { name: /Diagram of the graph: 3 nodes, 2 connections/ }));
    expect(await unlabelledControls(ben)).toEqual([]);
    await shot(ben, 'sharing-02-view-link');
  });

  it("names the image a view link's graph loads by its file name, not its hash", async () => {
    const response = await ada.request.post('/api/uploads?name=logo.png', { headers: { 'content-type': 'image/png', 'x-pixelwire-request': '1' }, data: images[2]! });
    expect(response.status()).toBe(201);
    const { file } = (await response.json()) as { file: { sha256: string } };
    const document = {
      format: 'pixelwire.graph',
      version: 1,
      nodes: [{ id: 'logo', type: 'image.load', params: { source: 'artifact', artifact: file.sha256 } }],
      edges: [],
      outputs: [{ name: 'logo', kind: 'image', source: { node: 'logo', port: 'image' } }],
    };
    const created = await trpc<{ graph: { id: string } }>(ada, 'graphs.create', { name: 'Logo', document });
    const view = await trpc<{ path: string }>(ada, 'shares.create', { graphId: created.graph.id, kind: 'view' });
    await ben.goto(view.path);
    const node = ben.getByTestId('share-view').getByRole('list', { name: 'Nodes' }).locator('li[data-node="logo"]');
    await waitFor.visible(node.getByText('logo.png', { exact: true }));
    expect(await node.textContent()).not.toContain(file.sha256.slice(0, 12));
  });

  it('asks someone signed out to sign in to a run link, and brings them back after signing up', async () => {
    await ben.goto(runLink);
    const prompt = ben.getByTestId('share-sign-in');
    await waitFor.visible(prompt);
    await shot(ben, 'sharing-03-sign-in-prompt');
    await prompt.getByRole('link', { name: 'Create an account' }).click();
    await ben.waitForURL('**/sign-up?next=*');
    await ben.getByLabel('Name').fill('Ben');
    await ben.getByLabel('Email').fill(benEmail);
    await ben.getByLabel('Password').fill('correct horse battery');
    await ben.getByRole('button', { name: 'Sign up' }).click();
    await ben.waitForURL(runLink);
    await waitFor.visible(ben.getByTestId('share-app'));
  });

  it('runs the link as an app: upload, Run, progress, output and download', async () => {
    const form = ben.getByTestId('share-app');
    // The required image blocks the run with an inline error.
    await form.getByRole('button', { name: 'Run', exact: true }).click();
    await waitFor.visible(form.getByRole('alert').filter({ hasText: 'photo is required: upload an image' }));
    await waitFor.value(form.getByLabel(/^caption/), '© Pixelwire');
    await form.getByLabel(/^photo/).setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: images[0]! });
    await waitFor.visible(form.getByText('Uploaded: photo.png', { exact: true }));
    expect(await unlabelledControls(ben)).toEqual([]);
    await form.getByRole('button', { name: 'Run', exact: true }).click();
    const run = ben.getByTestId('share-run');
    await waitFor.visible(run);
    await waitFor.attribute(run, 'data-status', 'succeeded', 90_000);
    await expect.poll(async () => (await run.getByRole('status').textContent()) ?? '').toMatch(/^(\d+) of \1 nodes done$/);
    const output = run.getByRole('img', { name: 'Output marked' });
    await waitFor.visible(output);
    await expect.poll(() => output.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 15_000 }).toBe(true);
    await shot(ben, 'sharing-04-run-link-output');

    const [download] = await Promise.all([ben.waitForEvent('download'), run.getByRole('link', { name: 'Download marked (PNG)' }).click()]);
    expect(download.suggestedFilename()).toBe('marked.png');
    const bytes = await readFile((await download.path())!);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect((await sharp(bytes).metadata()).width).toBe(160);
  });

  it('stops working once revoked: the reload says the link does not exist or was revoked', async () => {
    await openEditor();
    await toolbar().getByRole('button', { name: 'Share…' }).click();
    const row = shareDialog().locator('tr[data-link-kind="run"]');
    await waitFor.count(row, 1);
    expect(await row.locator('td').nth(3).textContent()).toBe('1');
    await row.getByRole('button', { name: /^Revoke the run link/ }).click();
    await waitFor.attribute(row, 'data-link-state', 'revoked');
    await ada.keyboard.press('Escape');

    await ben.reload();
    const gone = ben.getByTestId('share-gone');
    await waitFor.visible(gone);
    expect(await gone.getByRole('alert').textContent()).toBe('This link does not exist, was revoked or has expired.');
    await shot(ben, 'sharing-05-revoked');
  });

  it("shows Ben a badge with his pending team invitation in the header, linking to Settings → Teams", async () => {
    const team = await trpc<{ id: string }>(ada, 'teams.create', { name: 'Darkroom' });
    await trpc(ada, 'teams.invite', { teamId: team.id, email: benEmail, role: 'runner' });
    await ben.goto('/graphs');
    const badge = ben.getByRole('link', { name: '1 pending team invitation' });
    await waitFor.visible(badge);
    await shot(ben, 'sharing-06-invitation-badge');
    await badge.click();
    await ben.waitForURL('**/settings#teams-heading');
    await waitFor.visible(ben.getByRole('region', { name: 'Invitations for you' }));
  });

  it('runs a batch of two images from the editor; the batch page reaches 2/2 with the ZIP', async () => {
    await openEditor();
    await toolbar().getByRole('button', { name: 'Run batch…' }).click();
    const dialog = ada.getByRole('dialog', { name: 'Run batch' });
    await waitFor.visible(dialog);
    await dialog.getByLabel('Images for photo (one run each)').setInputFiles([
      { name: 'one.png', mimeType: 'image/png', buffer: images[1]! },
      { name: 'two.png', mimeType: 'image/png', buffer: images[2]! },
    ]);
    await waitFor.count(dialog.getByRole('list', { name: 'Picked images' }).getByRole('listitem'), 2);
    expect(await unlabelledControls(dialog)).toEqual([]);
    await shot(ada, 'sharing-07-batch-dialog');
    await dialog.getByRole('button', { name: 'Run 2 images' }).click();
    await ada.waitForURL('**/batches/*');

    const count = ada.getByTestId('batch-count');
    await expect.poll(() => count.textContent(), { timeout: 120_000 }).toBe('2/2');
    const items = ada.getByRole('list', { name: 'Batch results' }).locator('figure[data-status="succeeded"]');
    await waitFor.count(items, 2);
    await waitFor.count(ada.getByRole('list', { name: 'Batch results' }).getByRole('img'), 2);
    const zip = ada.getByTestId('batch-zip');
    const href = (await zip.getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/api\/v1\/batches\/[^/]+\/outputs\.zip$/);
    const response = await ada.request.get(href);
    expect(response.status()).toBe(200);
    expect((await response.body()).subarray(0, 2).toString('latin1')).toBe('PK');
    expect(await unlabelledControls(ada)).toEqual([]);
    await shot(ada, 'sharing-08-batch-done');
  });

  it('compares two versions in History: the param change listed and the node marked on the canvas', async () => {
    const { version } = await trpc<{ version: { document: { nodes: { id: string; params: Record<string, unknown> }[] } } }>(ada, 'graphs.get', { graphId }, 'query');
    const document = structuredClone(version.document);
    document.nodes.find((n) => n.id === 'caption')!.params.fontSize = 40;
    await trpc(ada, 'graphs.save', { graphId, baseVersion: 1, document, message: 'bigger caption' });

    await openEditor();
    await toolbar().getByRole('button', { name: 'History' }).click();
    const panel = ada.getByRole('tabpanel', { name: 'History' });
    await waitFor.count(panel.locator('[data-version]'), 2);
    await panel.getByRole('button', { name: 'Compare with previous' }).click();
    const diff = panel.getByTestId('version-diff');
    await waitFor.visible(diff);
    await expect.poll(() => diff.textContent()).toContain('caption.fontSize: 28 → 40');
    expect(await diff.getByRole('heading', { name: 'Changed (1)' }).count()).toBe(1);
    const node = ada.locator('.react-flow__node[data-id="caption"]');
    await expect.poll(() => node.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
    expect(await ada.locator('.react-flow__node[data-id="blend"]').evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('none');
    await waitFor.visible(toolbar().getByText('v1 → v2: 0 added, 1 changed, 0 removed'));
    expect(await unlabelledControls(panel)).toEqual([]);
    expect(await unlabelledControls(toolbar())).toEqual([]);
    await shot(ada, 'sharing-09-version-diff');

    await toolbar().getByRole('button', { name: /^Dismiss the comparison/ }).click();
    await expect.poll(() => node.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('none');
  });

  it('copies a graph to a team from the library; the copy says where it came from', async () => {
    await ada.goto('/graphs');
    await ada.getByRole('button', { name: 'Actions for Watermark' }).click();
    await ada.getByRole('button', { name: 'Copy to…' }).click();
    const dialog = ada.getByRole('dialog', { name: 'Copy “Watermark”' });
    await waitFor.visible(dialog);
    await dialog.getByLabel('Copy to').selectOption({ label: 'Darkroom' });
    await dialog.getByLabel('Name of the copy').fill('Team watermark');
    expect(await unlabelledControls(dialog)).toEqual([]);
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    await waitFor.gone(dialog);
    const card = ada.getByRole('listitem').filter({ has: ada.getByRole('link', { name: 'Team watermark' }) });
    await waitFor.visible(card);
    await expect.poll(() => card.getByTestId('provenance').textContent()).toBe('copied from Watermark v2');
    // Ada owns her personal graph: she may move it; the dialog offers the team.
    await ada.getByRole('button', { name: 'Actions for Watermark' }).click();
    await ada.getByRole('button', { name: 'Move to…' }).click();
    const move = ada.getByRole('dialog', { name: 'Move “Watermark”' });
    await waitFor.visible(move);
    expect(await move.getByLabel('Move to').locator('option').allTextContents()).toEqual(['Darkroom']);
    await shot(ada, 'sharing-10-library-move');
    await move.getByRole('button', { name: 'Cancel' }).click();
    await waitFor.gone(move);
  });
});
