/**
 * Look-alike letters and digits. The recogniser often gives both readings of a glyph
 * like "0"/"o" fair probability; the characters around it tell which is meant. Within
 * each run of ASCII letters and digits, every look-alike character is read as a letter
 * or a digit by MAP decoding of a two-state chain: the model's probabilities times a
 * prior under which a run switches between letters and digits rarely (each switch costs
 * the factor `switchOdds`). So "r00m" → "room", "1oo%" → "100%", "7:o0" → "7:00", while
 * confident mixed readings ("Win10", "AB-1007", "3B") stay as they are.
 */

/** Each digit with the letters it is mistaken for. */
export const lookalikeGroups: readonly (readonly [digit: string, letters: string])[] = [
  ['0', 'oO'],
  ['1', 'lI'],
  ['2', 'Z'],
  ['5', 'Ss'],
  ['8', 'B'],
];

/** A character the recogniser emitted, with its probability. */
export interface DecodedChar {
  char: string;
  p: number;
  /** For a look-alike: the likeliest letter and digit reading over the character's CTC steps. */
  letter?: { char: string; p: number };
  digit?: { char: string; p: number };
  /** A space the decoder inferred from a word gap (not the model's best class): left out of the confidence. */
  inferred?: boolean;
}

/** Prior odds against switching between letters and digits inside a run. */
export const defaultSwitchOdds = 10;
/** Probabilities are floored here so a reading the model rules out costs a lot, not infinitely. */
const floor = 1e-6;

const asciiLetter = /^[A-Za-z]$/;
const asciiDigit = /^[0-9]$/;
const alnum = (c: string) => asciiLetter.test(c) || asciiDigit.test(c);
/** Punctuation that joins the two sides of a run when it stands alone between them: 7:00, 1,050.00, Wi-Fi. */
const joiner = /^[.,:/'’-]$/;

/** Class indices of the look-alike characters in a CTC dictionary, each with its group's indices. */
export function lookalikeIndex(dictionary: readonly string[]): Map<number, readonly number[]> {
  const cached = indexCache.get(dictionary);
  if (cached) return cached;
  const at = new Map<string, number>();
  dictionary.forEach((c, i) => {
    if (c && !at.has(c)) at.set(c, i);
  });
  const index = new Map<number, readonly number[]>();
  for (const [digit, letters] of lookalikeGroups) {
    const members = [digit, ...letters].map((c) => at.get(c)).filter((i): i is number => i !== undefined);
    if (members.length < 2) continue;
    for (const m of members) index.set(m, members);
  }
  indexCache.set(dictionary, index);
  return index;
}
const indexCache = new WeakMap<readonly string[], Map<number, readonly number[]>>();

type Kind = 0 | 1; // 0 letter, 1 digit

/**
 * Reads each look-alike as a letter or a digit to fit its run (see the module comment).
 * Characters outside runs of ASCII letters and digits, and runs without look-alikes, are kept.
 */
export function resolveLookalikes(chars: readonly DecodedChar[], switchOdds = defaultSwitchOdds): DecodedChar[] {
  const out = [...chars];
  const switchCost = Math.log(switchOdds);
  let start = 0;
  while (start < chars.length) {
    if (!alnum(chars[start]!.char)) {
      start++;
      continue;
    }
    let end = start + 1;
    while (end < chars.length) {
      if (alnum(chars[end]!.char)) end++;
      else if (joiner.test(chars[end]!.char) && end + 1 < chars.length && alnum(chars[end + 1]!.char)) end += 2;
      else break;
    }
    resolveRun(chars, start, end, switchCost, out);
    start = end;
  }
  return out;
}

/**
 * Viterbi over the letters and digits of chars[start, end) (joiners are skipped):
 * state = letter or digit; emission = log probability of that reading.
 */
function resolveRun(chars: readonly DecodedChar[], start: number, end: number, switchCost: number, out: DecodedChar[]): void {
  const emission = (c: DecodedChar, kind: Kind): number => {
    if (c.letter && c.digit) return Math.log(Math.max(floor, kind === 0 ? c.letter.p : c.digit.p));
    const isDigit = asciiDigit.test(c.char);
    return (kind === 1) === isDigit ? 0 : -Infinity;
  };
  const at: number[] = [];
  for (let i = start; i < end; i++) if (alnum(chars[i]!.char)) at.push(i);
  if (!at.some((i) => chars[i]!.letter && chars[i]!.digit)) return;
  const n = at.length;
  const back: Kind[][] = [];
  let score: [number, number] = [emission(chars[at[0]!]!, 0), emission(chars[at[0]!]!, 1)];
  for (let i = 1; i < n; i++) {
    const c = chars[at[i]!]!;
    const next: [number, number] = [0, 0];
    const from: Kind[] = [0, 0];
    for (const kind of [0, 1] as const) {
      const stay = score[kind];
      const change = score[(1 - kind) as Kind] - switchCost;
      from[kind] = stay >= change ? kind : ((1 - kind) as Kind);
      next[kind] = Math.max(stay, change) + emission(c, kind);
    }
    back.push(from);
    score = next;
  }
  let kind: Kind = score[0] >= score[1] ? 0 : 1;
  for (let i = n - 1; i >= 0; i--) {
    const c = chars[at[i]!]!;
    if (c.letter && c.digit) {
      const pick = kind === 0 ? c.letter : c.digit;
      if (pick.char !== c.char) out[at[i]!] = { ...c, char: pick.char, p: pick.p };
    }
    if (i > 0) kind = back[i - 1]![kind]!;
  }
}
