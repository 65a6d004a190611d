import { beforeAll, describe, expect, it } from 'vitest';
import { createHarness, runNode } from '../../test/helpers/node-harness';
import { renderText } from '../../test/helpers/render-text';
import { isPixelImage, zBox, type Box } from '../ports';
import type { PixelImage } from '../_impl/pixel-image';
import { ocrDetectNode } from './detect.node';
import { ocrReadNode } from './read.node';
import { ocrRecognizeNode } from './recognize.node';

// Real PP-OCRv4 models on text rendered by librsvg/pango (DejaVu, WenQuanYi Micro Hei for Chinese).
const cjk = 'WenQuanYi Micro Hei';

function boxes(value: unknown): Box[] {
  return zBox.array().parse(value);
}

describe('ocr.read', () => {
  let invoice: PixelImage;
  beforeAll(async () => {
    invoice = await renderText(700, 260, [
      { text: 'Invoice 2026-117', x: 30, y: 60, size: 32 },
      { text: 'Total due: 1,280.00 EUR', x: 30, y: 140, size: 40, font: 'DejaVu Serif' },
      { text: 'Paid', x: 30, y: 220, size: 32 },
      { text: 'Thank you', x: 400, y: 222, size: 32 },
    ]);
  });

  it('reads English lines in reading order, with boxes inside the text area', async () => {
    const harness = createHarness();
    const out = await runNode(ocrReadNode, { image: invoice }, {}, harness);
    expect(out.text).toBe('Invoice 2026-117\nTotal due: 1,280.00 EUR\nPaid\nThank you');
    expect(harness.progress.some((p) => p.message === 'onnxruntime: cpu')).toBe(true);
    const found = boxes(out.boxes);
    expect(found.map((b) => b.label)).toEqual(['Invoice 2026-117', 'Total due: 1,280.00 EUR', 'Paid', 'Thank you']);
    // "Invoice 2026-117": 32 px DejaVu Sans from x = 30 with baseline 60 covers about x 30–320, y 35–68.
    const first = found[0]!;
    expect(first.x).toBeGreaterThan(20);
    expect(first.x).toBeLessThan(35);
    expect(first.x + first.width).toBeGreaterThan(300);
    expect(first.x + first.width).toBeLessThan(340);
    expect(first.y).toBeGreaterThan(25);
    expect(first.y + first.height).toBeLessThan(75);
    for (const b of found) {
      expect(b.score).toBeGreaterThan(0.8);
      expect(b.polygon).toHaveLength(4);
    }
    const lines = out.lines as { text: string; confidence: number; box: number[][] }[];
    expect(lines[1]).toMatchObject({ text: 'Total due: 1,280.00 EUR' });
    expect(lines[1]!.box).toHaveLength(4);
    const annotated = out.annotated;
    if (!isPixelImage(annotated)) throw new Error('no annotated image');
    expect([annotated.width, annotated.height, annotated.channels]).toEqual([700, 260, 3]);
    // The outline is red along the box's top edge.
    const x = Math.round(first.x + first.width / 2);
    const red = [-1, 0, 1].some((dy) => {
      const i = (Math.round(first.y + dy) * 700 + x) * 3;
      return annotated.data[i]! > 230 && annotated.data[i + 1]! < 60 && annotated.data[i + 2]! < 60;
    });
    expect(red).toBe(true);
  });

  it('reads Chinese', async () => {
    const image = await renderText(420, 200, [
      { text: '你好世界', x: 20, y: 70, size: 40, font: cjk },
      { text: '图像识别', x: 20, y: 150, size: 40, font: cjk },
    ]);
    const out = await runNode(ocrReadNode, { image });
    expect(out.text).toBe('你好世界\n图像识别');
  });

  it('reads a line rotated by 3 degrees and returns its rotated polygon', async () => {
    const image = await renderText(640, 160, [{ text: 'Invoice 2026-117', x: 30, y: 70, size: 36, rotate: 3 }]);
    const out = await runNode(ocrReadNode, { image });
    expect(out.text).toBe('Invoice 2026-117');
    const [box] = boxes(out.boxes);
    const [tl, tr] = box!.polygon!;
    const angle = (Math.atan2(tr![1] - tl![1], tr![0] - tl![0]) * 180) / Math.PI;
    expect(angle).toBeGreaterThan(2);
    expect(angle).toBeLessThan(4);
  });

  it('reads upside-down text with the angle classifier', async () => {
    const image = await renderText(520, 120, [{ text: 'Invoice 2026-117', x: 420, y: 40, size: 32, rotate: 180 }]);
    const out = await runNode(ocrReadNode, { image });
    expect(out.text).toBe('Invoice 2026-117');
  });

  it('detects on a downscaled copy of a large image and reads from the full resolution', async () => {
    const image = await renderText(3200, 2400, [
      { text: 'Invoice 2026-117', x: 300, y: 500, size: 96 },
      { text: '图像识别', x: 300, y: 1800, size: 96, font: cjk },
    ]);
    const out = await runNode(ocrReadNode, { image }, { maxSide: 1024, detection: 'fit' });
    expect(out.text).toBe('Invoice 2026-117\n图像识别');
    const [first] = boxes(out.boxes);
    expect(first!.x).toBeGreaterThan(270);
    expect(first!.x).toBeLessThan(310);
    expect(first!.y + first!.height).toBeLessThan(540);
  });

  it('reads small text on a large image in tiles, joining a line that crosses seams', async () => {
    // 18 px text on 6000×4000: on one copy scaled to 1536 it would be under 5 px high.
    const lines = [
      'Quarterly report of the north region',
      'Shipping costs fell in the third quarter',
      'A long line that crosses the seams between the tiles of the detector and comes back whole',
    ];
    const image = await renderText(6000, 4000, [
      { text: lines[0]!, x: 300, y: 500, size: 18 },
      { text: lines[1]!, x: 3500, y: 1700, size: 18 },
      { text: lines[2]!, x: 900, y: 3300, size: 18 },
    ]);
    const harness = createHarness();
    const out = await runNode(ocrReadNode, { image }, {}, harness);
    // Three lines, each whole (the long one joined from pieces of three tiles). Spaces aside: on
    // 18 px text upscaled to the recogniser's 48 px, a word gap is sometimes read as nothing.
    const read = String(out.text).split('\n');
    expect(read.map((l) => l.replace(/\s+/g, ''))).toEqual(lines.map((l) => l.replace(/\s+/g, '')));
    expect(read.slice(0, 2)).toEqual(lines.slice(0, 2));
    expect(harness.progress.some((p) => /^tile \d+\/\d+$/.test(p.message ?? ''))).toBe(true);
    // The same image on one scaled copy finds next to nothing.
    const fit = await runNode(ocrReadNode, { image }, { detection: 'fit' });
    expect(String(fit.text).length).toBeLessThan(20);
  });

  it('gives empty outputs for an image without text', async () => {
    const image = await renderText(320, 240, [], '#7fa0c0');
    const out = await runNode(ocrReadNode, { image });
    expect(out.text).toBe('');
    expect(out.lines).toEqual([]);
    expect(out.boxes).toEqual([]);
  });

  it('stops when the run is cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runNode(ocrReadNode, { image: invoice }, {}, createHarness({ signal: controller.signal }))).rejects.toThrow();
  });
});

describe('ocr.detect + ocr.recognize', () => {
  it('detects boxes that ocr.recognize reads, also from plain rectangles', async () => {
    const image = await renderText(600, 180, [
      { text: 'Total due: 1,280.00 EUR', x: 20, y: 60, size: 40, font: 'DejaVu Serif' },
      { text: '你好世界', x: 20, y: 150, size: 40, font: cjk },
    ]);
    const detected = boxes((await runNode(ocrDetectNode, { image })).boxes);
    expect(detected).toHaveLength(2);
    const out = await runNode(ocrRecognizeNode, { image, boxes: [...detected].reverse() });
    expect(out.text).toBe('Total due: 1,280.00 EUR\n你好世界');
    const rects = detected.map(({ x, y, width, height }) => ({ x, y, width, height }));
    expect((await runNode(ocrRecognizeNode, { image, boxes: rects })).text).toBe('Total due: 1,280.00 EUR\n你好世界');
  });

  it('recognizes nothing from no boxes', async () => {
    const image = await renderText(100, 50, []);
    expect(await runNode(ocrRecognizeNode, { image, boxes: [] })).toEqual({ text: '', lines: [] });
  });
});
