/**
 * A small fuzzy matcher: the query's characters must appear in order in the text.
 * Substrings beat scattered letters; matches at word starts and consecutive runs score more.
 * Returns null when the text does not match.
 */
export function fuzzyScore(query: string, text: string): number | null {
  const q = query.trim().toLowerCase();
  const t = text.toLowerCase();
  if (!q) return 0;
  const at = t.indexOf(q);
  if (at >= 0) return 100 + q.length * 4 + (at === 0 ? 40 : isWordStart(t, at) ? 20 : 0) - Math.min(t.length, 40) * 0.1;
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const ch of q) {
    const found = t.indexOf(ch, from);
    if (found < 0) return null;
    score += 1;
    if (found === previous + 1) score += 4;
    if (isWordStart(t, found)) score += 3;
    score -= Math.min(found - from, 6) * 0.5;
    previous = found;
    from = found + 1;
  }
  return score;
}

function isWordStart(text: string, index: number): boolean {
  if (index === 0) return true;
  const before = text[index - 1] ?? '';
  return !/[a-z0-9]/.test(before);
}

export interface Searchable {
  title: string;
  type: string;
  category: string;
}

/**
 * Ranks items for a query of space-separated words: every word must match the title,
 * type or category (title counts most). Empty query: every item, in the given order.
 */
export function fuzzyRank<T extends Searchable>(query: string, items: readonly T[]): T[] {
  const words = query.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...items];
  const scored: { item: T; score: number }[] = [];
  for (const item of items) {
    let total = 0;
    let ok = true;
    for (const word of words) {
      const best = Math.max(
        (fuzzyScore(word, item.title) ?? -Infinity) * 1.5,
        fuzzyScore(word, item.type) ?? -Infinity,
        (fuzzyScore(word, item.category) ?? -Infinity) * 0.8,
      );
      if (best === -Infinity) {
        ok = false;
        break;
      }
      total += best;
    }
    if (ok) scored.push({ item, score: total });
  }
  return scored.sort((a, b) => b.score - a.score || a.item.title.localeCompare(b.item.title)).map((s) => s.item);
}
