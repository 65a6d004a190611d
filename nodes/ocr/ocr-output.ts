import type { JsonValue } from '../ports';
import type { TextLine } from '../_impl/ocr/pipeline';

/** The lines port's JSON: [{ text, confidence, box: [[x, y] × 4] }]. */
export function linesJson(lines: readonly TextLine[]): JsonValue {
  const round = (v: number) => Math.round(v * 100) / 100;
  return lines.map((l) => ({
    text: l.text,
    confidence: Math.round(l.confidence * 1000) / 1000,
    box: l.quad.map(([x, y]) => [round(x), round(y)]),
  }));
}
