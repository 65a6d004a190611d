/**
 * Absolute server paths (/work/…, /srv/…, /home/…, C:\…) in a message, which say nothing
 * to a user of the page and tell too much about the server.
 */
const SERVER_PATH = /(?<![\w/.:-])(?:[A-Za-z]:\\|\/(?:work|srv|home|root|tmp|var|opt|usr|app|data|mnt|Users|private|run|etc)\/)[^\s'"`)\]},;]*/g;

/** The message with absolute server paths shortened to their file name ("…/model.onnx"). */
export function stripServerPaths(message: string): string {
  return message.replace(SERVER_PATH, (path) => {
    const trimmed = path.replace(/[\\/]+$/, '');
    const base = trimmed.split(/[\\/]/).pop() ?? '';
    return base ? `…/${base}` : '…';
  });
}

/** A message as one line for a node (the first line, paths stripped) and the full text for "Details". */
export function errorLines(message: string): { line: string; details: string } {
  const details = stripServerPaths(message).trim();
  const line = details.split('\n')[0]!.trim();
  return { line, details };
}
