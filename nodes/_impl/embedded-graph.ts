import { readPngText } from './png-text';

/** iTXt keyword under which a saved PNG carries the graph document that made it. */
export const GRAPH_PNG_KEYWORD = 'pixelwire.graph';
/** iTXt keyword of the JSON saying where the image comes from: graph id, version, run, model sha256s. */
export const PROVENANCE_PNG_KEYWORD = 'pixelwire.provenance';

/** The graph document embedded in a PNG that Pixelwire saved, or undefined when there is none. */
export function readEmbeddedGraph(png: Buffer): unknown {
  const text = readPngText(png)[GRAPH_PNG_KEYWORD];
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
