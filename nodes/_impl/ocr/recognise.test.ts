import { beforeAll, describe, expect, it } from 'vitest';
import { renderText } from '../../../test/helpers/render-text';
import type { PixelImage } from '../pixel-image';
import { loadDictionary, loadOcrModel } from './models';
import { recogniseStrips } from './recognise';

// Real PP-OCRv4 recognition model on strips rendered by librsvg/pango.
const lines = [
  { text: 'Pack my box with five dozen liquor jugs', size: 30 },
  { text: 'Paid', size: 34 },
  { text: '图像识别', size: 36, font: 'WenQuanYi Micro Hei' },
  { text: 'Total due: 1,280.00 EUR', size: 26, font: 'DejaVu Serif' },
  { text: 'Room 301 at 14:30', size: 40 },
  { text: 'Open Monday to Friday', size: 36 },
  { text: 'Sphinx of black quartz', size: 36, font: 'DejaVu Serif' },
];

describe('recogniseStrips', () => {
  let strips: PixelImage[];
  beforeAll(async () => {
    strips = await Promise.all(
      lines.map((l) => {
        const width = Math.round([...l.text].length * l.size * (l.font ? 1.05 : 0.62)) + 24;
        return renderText(width, Math.round(l.size * 1.5), [{ text: l.text, x: 12, y: Math.round(l.size * 1.1), size: l.size, font: l.font }]);
      }),
    );
  });

  it('reads strips the same batched (similar widths padded together) as one by one', async () => {
    const [{ session }, dictionary] = await Promise.all([loadOcrModel('recognise'), loadDictionary()]);
    let runs = 0;
    const counted = new Proxy(session, {
      get: (target, key) => (key === 'run' ? (...args: Parameters<typeof session.run>) => (runs++, target.run(...args)) : Reflect.get(target, key)),
    });
    const batched = await recogniseStrips(counted, strips, dictionary, { lookalikes: true });
    expect(runs).toBeLessThan(strips.length);
    const single = await recogniseStrips(session, strips, dictionary, { lookalikes: true, batchSize: 1 });
    expect(batched.map((r) => r.text.trim())).toEqual(lines.map((l) => l.text));
    expect(single.map((r) => r.text)).toEqual(batched.map((r) => r.text));
    batched.forEach((r, i) => expect(r.confidence).toBeCloseTo(single[i]!.confidence, 2));
  });
});
