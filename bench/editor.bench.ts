/**
 * npm run bench:editor — opening a 500-node graph in the editor and panning it, in headless Chromium
 * against the production build (targets: open < 2 s, pan ≥ 30 fps).
 */
import { startApp } from '../test/e2e/app-server';
import { launchBrowser } from '../test/e2e/browser';
import { median, percentile, printTable } from './bench-table';

const app = await startApp();
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ baseURL: app.url, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const signUp = await page.request.post('/api/trpc/auth.signUp', { data: { email: 'bench@example.com', password: 'correct horse battery', name: 'Bench' } });
  if (!signUp.ok()) throw new Error(`sign-up failed: ${signUp.status()}`);

  // 500 nodes in a 25 × 20 grid: chains of blur → sharpen → invert … wired row by row.
  const types = ['image.blur', 'image.sharpen', 'image.invert', 'image.grayscale', 'image.adjust'];
  const nodes = Array.from({ length: 500 }, (_, i) => ({ id: `n${i}`, type: types[i % types.length]!, params: {}, position: { x: (i % 25) * 300, y: Math.floor(i / 25) * 260 } }));
  const edges = nodes.slice(1).filter((_, i) => (i + 1) % 25 !== 0).map((n, i) => ({ from: { node: `n${i}`, port: 'image' }, to: { node: n.id, port: 'image' } }));
  const created = await page.request.post('/api/trpc/graphs.create', { data: { name: '500 nodes', document: { format: 'pixelwire.graph', version: 1, nodes, edges } } });
  const graphId = ((await created.json()) as { result: { data: { graph: { id: string } } } }).result.data.graph.id;

  const opens: number[] = [];
  for (let i = 0; i < 4; i++) {
    const start = Date.now();
    await page.goto(`/graphs/${graphId}`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^="node-n"]').length >= 1 && document.querySelector('.react-flow__viewport') !== null);
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 500);
    if (i > 0) opens.push(Date.now() - start);
  }

  // A point of empty canvas to grab (the pane, not a node).
  const grab = JSON.parse(String(await page.evaluate(`JSON.stringify((() => {
    for (let y = 120; y < 860; y += 10) for (let x = 20; x < 980; x += 10) {
      const el = document.elementFromPoint(x, y);
      if (el && el.classList.contains('react-flow__pane')) return { x, y };
    }
    return null;
  })())`)));
  if (!grab) throw new Error('no empty canvas to grab');

  // Pan inside the page: each animation frame moves the pointer one step (the canvas's drag
  // handler gets a real mousemove) and the frame timestamps give the frame rate of panning.
  // Plain script strings: tsx would wrap named functions with a helper the page does not have.
  const fpsSamples: number[] = [];
  const frameTimes: number[] = [];
  for (let round = 0; round < 3; round++) {
    const result = JSON.parse(
      String(
        await page.evaluate(`new Promise((resolve) => {
          const pane = document.querySelector('.react-flow__pane');
          const view = document.querySelector('.react-flow__viewport');
          const before = view.style.transform;
          const x0 = ${grab.x}, y0 = ${grab.y}, steps = 150;
          const stamps = [];
          let step = 0;
          const mouse = (type, x, y) => new MouseEvent(type, { clientX: x, clientY: y, button: 0, buttons: 1, bubbles: true, cancelable: true, view: window });
          pane.dispatchEvent(mouse('mousedown', x0, y0));
          const frame = (t) => {
            stamps.push(t);
            if (step === steps) {
              window.dispatchEvent(mouse('mouseup', x0, y0));
              resolve(JSON.stringify({ stamps, moved: view.style.transform !== before }));
              return;
            }
            step++;
            const a = (step / steps) * Math.PI * 2;
            window.dispatchEvent(mouse('mousemove', x0 + Math.sin(a) * 150, y0 + (1 - Math.cos(a)) * 100));
            requestAnimationFrame(frame);
          };
          requestAnimationFrame(frame);
        })`),
      ),
    );
    if (!result.moved) throw new Error('the canvas did not pan');
    const stamps: number[] = result.stamps;
    for (let i = 1; i < stamps.length; i++) frameTimes.push(stamps[i]! - stamps[i - 1]!);
    fpsSamples.push(((stamps.length - 1) / (stamps.at(-1)! - stamps[0]!)) * 1000);
  }
  const fps = median(fpsSamples);
  const open = median(opens);
  printTable('Editor responsiveness, 500-node graph, headless Chromium (software rendering), 1400×900', ['measure', 'value', 'target', 'met'], [
    ['open: navigation → all 500 nodes rendered (median of 3)', `${open} ms`, '< 2000 ms', open < 2000 ? 'yes' : 'NO'],
    ['pan: frame time while dragging (450 frames, one pointer step each)', `median ${median(frameTimes).toFixed(1)} ms, p95 ${percentile(frameTimes, 95).toFixed(1)} ms`, '', ''],
    ['pan: frames per second (median of 3 drags)', fps.toFixed(1), '≥ 30', fps >= 30 ? 'yes' : 'NO'],
  ]);
} finally {
  await browser.close();
  await app.stop();
}
