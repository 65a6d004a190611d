import type { OutputSummary } from '../../../../server/runs/wire-events';

/** The most characters a Show value node draws; the rest is summarised (the full value is in the output viewer). */
export const SHOWN_MAX_CHARS = 20_000;

/**
 * What a Show value node draws for a value that reached it: text as it is, numbers and
 * booleans as text, boxes and json pretty-printed (boxes with their count first); images
 * as a line of their size (the picture itself is the node's preview). Cut at `max` characters.
 */
export function shownText(summary: OutputSummary, max = SHOWN_MAX_CHARS): string {
  let text: string;
  if ('artifactId' in summary) {
    text = `${summary.kind} ${summary.width}×${summary.height}, ${summary.channels} channel${summary.channels === 1 ? '' : 's'}`;
  } else if (summary.kind === 'text' && typeof summary.value === 'string') {
    text = summary.value;
  } else if (summary.kind === 'boxes' && Array.isArray(summary.value)) {
    const n = summary.value.length;
    text = `${n} box${n === 1 ? '' : 'es'}\n${JSON.stringify(summary.value, null, 2)}`;
  } else if (typeof summary.value === 'string' || typeof summary.value === 'number' || typeof summary.value === 'boolean') {
    text = String(summary.value);
  } else {
    text = JSON.stringify(summary.value, null, 2);
  }
  return text.length > max ? `${text.slice(0, max)}\n… ${text.length - max} more characters` : text;
}
