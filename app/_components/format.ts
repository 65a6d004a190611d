/** Dates from the API are ISO strings at run time even where the inferred type says Date. */
export type DateLike = Date | string | number;

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Infinity],
];

/** "3 minutes ago", "yesterday". */
export function timeAgo(value: DateLike, now = Date.now()): string {
  let amount = (new Date(value).getTime() - now) / 1000;
  for (const [unit, size] of steps) {
    if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
    amount /= size;
  }
  return relative.format(Math.round(amount), 'year');
}

/** A full, unambiguous timestamp for titles and <time> elements. */
export function fullTime(value: DateLike): string {
  return new Date(value).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'medium' });
}

export function isoTime(value: DateLike): string {
  return new Date(value).toISOString();
}

/** "850 ms", "2.4 s", "3 min 5 s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** How long a run took (or has been going), from its timestamps. */
export function runDuration(run: { createdAt: DateLike; startedAt: DateLike | null; finishedAt: DateLike | null }, now = Date.now()): number | null {
  const start = new Date(run.startedAt ?? run.createdAt).getTime();
  const end = run.finishedAt ? new Date(run.finishedAt).getTime() : now;
  return Math.max(0, end - start);
}

export function fileUrl(runId: string, sha256: string): string {
  return `/api/runs/${encodeURIComponent(runId)}/files/${encodeURIComponent(sha256)}`;
}
