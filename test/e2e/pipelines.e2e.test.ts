import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { useBrowserApp } from './browser-app';
import { shot } from './browser';
import { signUp, unlabelledControls, trpc } from './page-checks';
import { waitFor } from './wait-for';

/**
 * Reusable pipelines in a real browser: build Graph input (image) → blur → Graph output from
 * scratch, expose blur's sigma as a graph input, save it as "Blur pipeline" and run it through
 * the HTTP API with an image; in a second graph add it from the palette's "My pipelines",
 * wire load → pipeline → save, run and watch the pipeline node reach done with a preview;
 * update it to a newer version after seeing what changed in its ports; expose a param; and
 * open a team graph as a viewer: a read-only canvas that says why.
 */
describe('pipelines in Chromium', () => {
  const session = useBrowserApp({ viewport: { width: 1400, height: 900 } });
  const newPage = () => session.newPage();
  let page: Page;
  let photo: Buffer;
  const stamp = Date.now();

  beforeAll(async () => {
    page = await newPage();
    photo = await sharp({ create: { width: 200, height: 150, channels: 3, background: '#3366aa', noise: { type: 'gaussian', mean: 120, sigma: 40 } } })
      .png()
      .toBuffer();
  }, 300_000);

  const node = (id: string) => page.getByTestId(`node-${id}`);
  const graphInput = (name: string) => page.getByTestId(`graph-input-${name}`);
  const graphOutput = (name: string) => page.getByTestId(`graph-output-${name}`);
  const handle = (scope: Locator, port: string, side: 'source' | 'target'): Locator => scope.locator(`.react-flow__handle.${side}[data-handleid="${port}"]`);
  const connect = (from: Locator, to: Locator) => from.dragTo(to);
  const nodeIds = () => page.locator('[data-testid^="node-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.replace(/^node-/, '')));

  /** Adds from the palette (double-click on the canvas, search, pick); returns the new node's id for document nodes. */
  async function addFromPalette(search: string, title: string, at: { x: number; y: number }): Promise<string> {
    const before = await nodeIds();
    await page.locator('.react-flow__pane').dblclick({ position: at });
    await page.getByLabel('Search nodes').fill(search);
    await page.getByRole('listbox', { name: 'Matching nodes' }).getByRole('option', { name: new RegExp(`^${title}`) }).first().click();
    await waitFor.gone(page.getByRole('dialog', { name: 'Add node' }));
    return (await nodeIds()).find((id) => !before.includes(id)) ?? '';
  }

  async function saveVersion(message: string): Promise<void> {
    await page.getByTestId('canvas').focus();
    await page.keyboard.press('Control+s');
    await page.getByLabel('Version message').fill(message);
    await page.getByRole('button', { name: 'Save version' }).click();
    await waitFor.gone(page.getByTestId('unsaved'));
  }

  let pipelineGraph = '';
  let blur = '';

  it('builds Graph input → blur → Graph output from scratch, exposes a param, and saves it as "Blur pipeline"', async () => {
    await signUp(page, 'Ada', `ada-${stamp}@example.com`);
    pipelineGraph = (await trpc<{ graph: { id: string } }>(page, 'graphs.create', { name: 'Blur pipeline' })).graph.id;
    await page.goto(`/graphs/${pipelineGraph}`);
    await page.locator('.react-flow__pane').waitFor();

    await addFromPalette('graph input', 'Graph input', { x: 150, y: 250 });
    await waitFor.visible(graphInput('input'));
    blur = await addFromPalette('gaussian', 'Gaussian blur', { x: 550, y: 200 });
    expect(blur).toMatch(/^blur-[a-z0-9]{8}$/);
    await addFromPalette('graph output', 'Graph output', { x: 1000, y: 250 });
    await waitFor.visible(graphOutput('output'));

    await connect(handle(graphInput('input'), 'value', 'source'), handle(node(blur), 'image', 'target'));
    await connect(handle(node(blur), 'image', 'source'), handle(graphOutput('output'), 'value', 'target'));
    await waitFor.count(page.locator('.react-flow__edge'), 2);

    // Rename both: the node's name field commits on Enter.
    await graphInput('input').getByLabel('Graph input name').fill('photo');
    await graphInput('input').getByLabel('Graph input name').press('Enter');
    await waitFor.visible(graphInput('photo'));
    await graphOutput('output').getByLabel('Graph output name').fill('result');
    await graphOutput('output').getByLabel('Graph output name').press('Enter');
    await waitFor.visible(graphOutput('result'));

    // Expose the blur's sigma: an Input node appears, wired to the param, which now says where its value comes from.
    await node(blur).getByLabel('sigma', { exact: true }).fill('3');
    await node(blur).getByLabel('sigma', { exact: true }).press('Tab');
    await node(blur).locator('[data-param="sigma"]').getByRole('button', { name: 'Expose as graph input' }).click();
    await waitFor.visible(graphInput('sigma'));
    await waitFor.visible(page.getByTestId(`param-input-${blur}-sigma`));
    await waitFor.count(page.locator('.react-flow__edge'), 3);
    await shot(page, 'pipelines-01-built');

    await saveVersion('blur pipeline');
    const { version } = await trpc<{ version: { number: number; document: { inputs: unknown[]; outputs: unknown[]; nodes: { id: string }[] } } }>(
      page,
      'graphs.get',
      { graphId: pipelineGraph },
      'query',
    );
    expect(version.number).toBe(2);
    expect(version.document.inputs).toEqual([
      { name: 'photo', kind: 'image', required: true, targets: [{ node: blur, port: 'image' }] },
      { name: 'sigma', kind: 'number', required: false, default: 3, targets: [{ node: blur, param: 'sigma' }] },
    ]);
    expect(version.document.outputs).toEqual([{ name: 'result', kind: 'image', source: { node: blur, port: 'image' } }]);
  });

  it('runs the graph built in the editor through the HTTP API with an image and returns its output', async () => {
    const started = await page.request.post(`/api/v1/graphs/${pipelineGraph}/runs`, {
      multipart: { photo: { name: 'photo.png', mimeType: 'image/png', buffer: photo }, inputs: JSON.stringify({ sigma: 1.5 }) },
      headers: { 'x-pixelwire-request': '1' },
    });
    expect(started.status()).toBe(201);
    const { id } = (await started.json()) as { id: string };
    let run: { status: string; outputs: Record<string, { kind: string; width: number; height: number; artifactId: string }> | null } = { status: 'queued', outputs: null };
    await expect
      .poll(
        async () => {
          run = (await (await page.request.get(`/api/v1/runs/${id}`)).json()) as typeof run;
          return run.status;
        },
        { timeout: 60_000 },
      )
      .toBe('succeeded');
    expect(run.outputs?.result).toMatchObject({ kind: 'image', width: 200, height: 150 });
    const file = await page.request.get(`/api/v1/runs/${id}/files/${run.outputs!.result!.artifactId}`);
    expect(file.ok()).toBe(true);
  });

  let user = '';
  let pipe = '';
  let load = '';
  let save = '';

  it('adds the pipeline from the palette, wires load → pipeline → save, runs it and shows progress and a preview on the pipeline node', async () => {
    user = (await trpc<{ graph: { id: string } }>(page, 'graphs.create', { name: 'Uses the pipeline' })).graph.id;
    await page.goto(`/graphs/${user}`);
    await page.locator('.react-flow__pane').waitFor();

    load = await addFromPalette('load', 'Load image', { x: 120, y: 200 });
    await node(load).getByLabel('artifact', { exact: true }).setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: photo });
    await waitFor.visible(node(load).getByText('Replace'));

    // Browse the palette (no search): the saved graph is under "My pipelines"; this graph itself is not offered.
    const before = await nodeIds();
    await page.locator('.react-flow__pane').dblclick({ position: { x: 640, y: 120 } });
    const palette = page.getByRole('dialog', { name: 'Add node' });
    const mine = palette.locator('details', { has: page.locator('summary', { hasText: 'My pipelines' }) });
    await waitFor.visible(mine.getByRole('button', { name: /^Blur pipeline/ }));
    expect(await mine.getByRole('button', { name: /^Uses the pipeline/ }).count()).toBe(0);
    await shot(page, 'pipelines-02-palette');
    await mine.getByRole('button', { name: /^Blur pipeline/ }).click();
    await expect.poll(async () => (await nodeIds()).length).toBe(before.length + 1);
    pipe = (await nodeIds()).find((id) => !before.includes(id))!;
    expect(pipe).toMatch(/^pipe-[a-z0-9]{8}$/);
    await waitFor.visible(node(pipe).getByText('Blur pipeline', { exact: true }));
    expect(await page.getByTestId(`pipeline-version-${pipe}`).textContent()).toBe('v2');
    expect(await node(pipe).getByRole('link', { name: 'Open Blur pipeline' }).getAttribute('href')).toBe(`/graphs/${pipelineGraph}`);
    // sigma sets a param inside: a widget with the pipeline's default; photo is a handle.
    await waitFor.value(node(pipe).getByLabel('sigma', { exact: true }), '3');
    await node(pipe).getByLabel('sigma', { exact: true }).fill('2');
    await node(pipe).getByLabel('sigma', { exact: true }).press('Tab');

    save = await addFromPalette('save', 'Save image', { x: 700, y: 480 });
    await connect(handle(node(load), 'image', 'source'), handle(node(pipe), 'photo', 'target'));
    await connect(handle(node(pipe), 'result', 'source'), handle(node(save), 'image', 'target'));
    await waitFor.count(page.locator('.react-flow__edge'), 2);

    await page.getByTestId('run-save-toolbar').getByRole('button', { name: 'Run', exact: true }).click();
    await waitFor.attribute(node(pipe), 'data-status', 'done', 60_000);
    const preview = page.getByTestId(`preview-${pipe}`);
    await waitFor.visible(preview);
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);
    await waitFor.attribute(node(save), 'data-status', 'done', 30_000);
    await waitFor.attribute(page.locator('[data-run-status]'), 'data-run-status', 'succeeded');
    await shot(page, 'pipelines-03-ran');
    await saveVersion('uses blur pipeline');
  });

  it('offers "Update to v3" when the pipeline has a newer version, shows what changed in its ports, then applies it', async () => {
    const { version } = await trpc<{ version: { document: { outputs: unknown[] } & Record<string, unknown> } }>(page, 'graphs.get', { graphId: pipelineGraph }, 'query');
    const document = { ...version.document, outputs: [...version.document.outputs, { name: 'soft', kind: 'image', source: { node: blur, port: 'image' } }] };
    await trpc(page, 'graphs.save', { graphId: pipelineGraph, baseVersion: 2, document, message: 'a second output' });

    await page.reload();
    const update = node(pipe).getByRole('button', { name: 'Update to v3' });
    await waitFor.visible(update);
    await update.click();
    const diff = page.getByTestId(`pipeline-diff-${pipe}`);
    await waitFor.visible(diff.getByText('output soft (image) added'));
    await shot(page, 'pipelines-04-update-diff');
    await diff.getByRole('button', { name: 'Apply update' }).click();
    await expect.poll(() => page.getByTestId(`pipeline-version-${pipe}`).textContent()).toBe('v3');
    await waitFor.visible(handle(node(pipe), 'soft', 'source'));
    await waitFor.visible(page.getByTestId('unsaved'));
    // The wires to ports that still exist stay.
    await waitFor.count(page.locator('.react-flow__edge'), 2);
  });

  it('exposes a param of a node as a graph input: an Input node appears, wired to it', async () => {
    // (Not quality: it shows only for JPEG and WebP, and this Save writes PNG.)
    await node(save).locator('[data-param="filename"]').getByRole('button', { name: 'Expose as graph input' }).click();
    await waitFor.visible(graphInput('filename'));
    await waitFor.visible(page.getByTestId(`param-input-${save}-filename`));
    await waitFor.count(page.locator('.react-flow__edge'), 3);
    await shot(page, 'pipelines-05-exposed');
    expect(await unlabelledControls(page)).toEqual([]);
    await saveVersion('file name as an input');
  });

  it('shows a viewer of a team graph a read-only canvas that says why', async () => {
    const team = await trpc<{ id: string }>(page, 'teams.create', { name: 'Darkroom' });
    const viewerEmail = `ben-${stamp}@example.com`;
    const { link } = await trpc<{ link: string }>(page, 'teams.invite', { teamId: team.id, email: viewerEmail, role: 'viewer' });
    const { version } = await trpc<{ version: { document: unknown } }>(page, 'graphs.get', { graphId: user }, 'query');
    const shared = (await trpc<{ graph: { id: string } }>(page, 'graphs.create', { name: 'Team graph', teamId: team.id, document: version.document })).graph.id;

    // The invitee signs up with the invited address and accepts with the secret link's token.
    const viewer = await newPage();
    await signUp(viewer, 'Ben', viewerEmail);
    await trpc(viewer, 'teams.acceptInvitation', { token: link.slice(link.lastIndexOf('/') + 1) });
    await viewer.goto(`/graphs/${shared}`);
    const notice = viewer.getByTestId('read-only-notice');
    await waitFor.visible(notice);
    expect(await notice.textContent()).toBe('Read-only: you are a viewer of team Darkroom');
    const toolbar = viewer.getByTestId('run-save-toolbar');
    await expect.poll(() => toolbar.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true);
    expect(await toolbar.getByRole('button', { name: 'Run', exact: true }).isDisabled()).toBe(true);
    expect(await viewer.getByTestId('save-disabled-reason').textContent()).toBe('Viewers cannot save: you are a viewer of team Darkroom');
    // Widgets are disabled and the palette does not open.
    expect(await viewer.locator('[data-type="image.save"]').getByLabel('format', { exact: true }).isDisabled()).toBe(true);
    await viewer.locator('.react-flow__pane').dblclick({ position: { x: 300, y: 600 } });
    expect(await viewer.getByRole('dialog', { name: 'Add node' }).count()).toBe(0);
    await shot(viewer, 'pipelines-06-viewer-read-only');
  });
});
