import * as ort from 'onnxruntime-node';
import type { PixelImage } from '../pixel-image';
import { writeStrip } from './crop-rotate';
import { lookalikeIndex, resolveLookalikes, type DecodedChar } from './lookalikes';
import type { ModelSession } from '../models/threaded-session';

const H = 48;
/** The model's training width for a 48 px line. */
const minWidth = 320;

export interface Recognised {
  text: string;
  /** Mean of the kept characters' probabilities; 0 for an empty line. */
  confidence: number;
}

export interface DecodeOptions {
  /** Read look-alike letters and digits (0/o, 1/l, …) to fit the characters around them. */
  lookalikes?: boolean;
  /** Insert a space between two characters of spaced scripts when the space class reached this probability in the gap (default 0.1; 1 turns it off). */
  spaceThreshold?: number;
}

/**
 * PP-OCR's Chinese+English recogniser often lets the blank win over the space in the gap
 * between two Latin words ("Totaldue"), while still giving the space a clear share of the
 * probability there (0.15–0.3, against < 0.01 inside words). So a gap whose space
 * probability reaches this is read as a space — only between characters of scripts that
 * separate words with spaces (not between CJK characters).
 */
export const defaultSpaceThreshold = 0.1;
const unspacedScript = /[\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF00-\uFFEF]/u;

/**
 * CTC greedy decoding: best class per step, repeats merged, blanks (class 0) dropped.
 * Each look-alike character also keeps its group's best letter and digit probabilities
 * over the steps of its run.
 */
export function ctcChars(
  probs: Float32Array,
  offset: number,
  steps: number,
  classes: number,
  dictionary: readonly string[],
  spaceThreshold = defaultSpaceThreshold,
): DecodedChar[] {
  const lookalikes = lookalikeIndex(dictionary);
  const space = dictionary.lastIndexOf(' ');
  const chars: DecodedChar[] = [];
  let gapSpace = 0; // the space class's highest probability since the last character
  let previous = -1;
  let group: readonly number[] | undefined;
  let groupBest: number[] = [];
  const closeGroup = () => {
    const c = chars[chars.length - 1];
    if (!group || !c) return;
    let letter: DecodedChar['letter'];
    let digit: DecodedChar['digit'];
    group.forEach((k, j) => {
      const char = dictionary[k]!;
      const p = groupBest[j]!;
      if (/[0-9]/.test(char)) {
        if (!digit || p > digit.p) digit = { char, p };
      } else if (!letter || p > letter.p) letter = { char, p };
    });
    c.letter = letter;
    c.digit = digit;
    group = undefined;
  };
  for (let t = 0; t < steps; t++) {
    const base = offset + t * classes;
    let best = 0;
    let bestP = probs[base]!;
    for (let k = 1; k < classes; k++) {
      const p = probs[base + k]!;
      if (p > bestP) {
        bestP = p;
        best = k;
      }
    }
    if (best !== previous) {
      closeGroup();
      if (best !== 0) {
        const char = dictionary[best] ?? '';
        const last = chars[chars.length - 1];
        if (best !== space && last && last.char !== ' ' && gapSpace >= spaceThreshold && !unspacedScript.test(last.char) && !unspacedScript.test(char)) {
          chars.push({ char: ' ', p: gapSpace, inferred: true });
        }
        gapSpace = 0;
        chars.push({ char, p: bestP });
        group = lookalikes.get(best);
        groupBest = group ? group.map(() => 0) : [];
      }
    }
    if (group) group.forEach((k, j) => (groupBest[j] = Math.max(groupBest[j]!, probs[base + k]!)));
    if (best === 0 && space > 0) gapSpace = Math.max(gapSpace, probs[base + space]!);
    previous = best;
  }
  closeGroup();
  return chars;
}

/** CTC greedy decoding to text, optionally with look-alikes resolved; confidence is the mean kept probability. */
export function ctcDecode(
  probs: Float32Array,
  offset: number,
  steps: number,
  classes: number,
  dictionary: readonly string[],
  options: DecodeOptions = {},
): Recognised {
  let chars = ctcChars(probs, offset, steps, classes, dictionary, options.spaceThreshold).filter((c) => c.char !== '');
  if (options.lookalikes) chars = resolveLookalikes(chars);
  const read = chars.filter((c) => !c.inferred);
  const sum = read.reduce((s, c) => s + c.p, 0);
  return { text: chars.map((c) => c.char).join(''), confidence: read.length > 0 ? sum / read.length : 0 };
}

/**
 * A strip is padded to at most this many times its own width in a batch: the model's
 * global mixing sees the padding, so a short line padded to a long one reads less surely.
 */
const maxPadding = 1.2;

/**
 * Recognises text strips: each resized to height 48 keeping its aspect (at least the
 * model's 320 wide, padded with zeros), strips sorted by width and batched while the
 * batch's widest is within `maxPadding` of its narrowest, one session run per batch.
 */
export async function recogniseStrips(
  session: ModelSession,
  strips: PixelImage[],
  dictionary: readonly string[],
  options: { batchSize?: number; signal?: AbortSignal } & DecodeOptions = {},
): Promise<Recognised[]> {
  const batchSize = options.batchSize ?? 8;
  const widths = strips.map((s) => Math.max(1, Math.ceil((H * s.width) / s.height)));
  const padded = (i: number) => Math.max(minWidth, widths[i]!);
  const order = strips.map((_, i) => i).sort((a, b) => padded(a) - padded(b));
  const results: Recognised[] = new Array(strips.length);
  for (let start = 0; start < order.length; ) {
    options.signal?.throwIfAborted();
    let end = start + 1;
    while (end < order.length && end - start < batchSize && padded(order[end]!) <= padded(order[start]!) * maxPadding) end++;
    const ids = order.slice(start, end);
    start = end;
    const padWidth = padded(ids[ids.length - 1]!);
    const size = 3 * H * padWidth;
    const tensor = new Float32Array(ids.length * size);
    ids.forEach((id, i) => writeStrip(strips[id]!, H, widths[id]!, padWidth, tensor, i * size));
    const result = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', tensor, [ids.length, 3, H, padWidth]) });
    const output = result[session.outputNames[0]!]!;
    const [, steps = 0, classes = 0] = output.dims;
    const probs = output.data as Float32Array;
    ids.forEach((id, i) => {
      results[id] = ctcDecode(probs, i * steps * classes, steps, classes, dictionary, options);
    });
  }
  return results;
}
