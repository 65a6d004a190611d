'use client';
import blurSharpen from '../../../examples/blur-sharpen.json';
import documentCleanup from '../../../examples/document-cleanup.json';
import fashionDiffusion from '../../../examples/fashion-diffusion.json';
import fashionImg2img from '../../../examples/fashion-img2img.json';
import pencilSketch from '../../../examples/pencil-sketch.json';
import readInvoice from '../../../examples/read-invoice.json';
import watermark from '../../../examples/watermark.json';
import landscape from '../../../examples/images/landscape.jpg';
import scan from '../../../examples/images/scan.jpg';
import { appRequestHeaders } from '../../../server/http/app-request';

/**
 * The example graphs from examples/, shipped with the page. Their image.load nodes
 * read files (`source: 'file'`), which the server runs only with
 * PIXELWIRE_FILES_ROOT set; so creating a graph from an example uploads the
 * sample photo it names as the user's own image and points the node at that
 * artifact instead. The graph then runs anywhere.
 */
export interface Example {
  key: string;
  name: string;
  description: string;
  document: ExampleDocument;
  /** Sample images the example loads, by their path in the example. */
  samples: string[];
  /** Graph inputs a run asks for. */
  inputs: { name: string; kind: string; required: boolean }[];
}

interface ExampleNode {
  id: string;
  type: string;
  params?: Record<string, unknown>;
  [key: string]: unknown;
}
interface ExampleDocument {
  metadata?: { name?: string; description?: string };
  nodes: ExampleNode[];
  inputs?: { name: string; kind: string; required?: boolean; default?: unknown }[];
  [key: string]: unknown;
}

/** Sample images bundled with the app, by the path the examples use. */
const sampleUrls: Record<string, string> = {
  'images/landscape.jpg': landscape.src,
  'images/scan.jpg': scan.src,
};

const sources: [string, unknown][] = [
  ['blur-sharpen', blurSharpen],
  ['pencil-sketch', pencilSketch],
  ['document-cleanup', documentCleanup],
  ['watermark', watermark],
  ['read-invoice', readInvoice],
  ['fashion-diffusion', fashionDiffusion],
  ['fashion-img2img', fashionImg2img],
];

const fileLoads = (document: ExampleDocument) => document.nodes.filter((n) => n.type === 'image.load' && n.params?.source === 'file');

export const examples: Example[] = sources.map(([key, raw]) => {
  const document = raw as ExampleDocument;
  return {
    key,
    name: document.metadata?.name ?? key,
    description: document.metadata?.description ?? '',
    document,
    samples: [...new Set(fileLoads(document).map((n) => String(n.params?.path ?? '')))],
    inputs: (document.inputs ?? []).map((i) => ({ name: i.name, kind: i.kind, required: i.required !== false && i.default === undefined })),
  };
});

/** Uploads a bundled sample image (to the team when given) and returns its sha256. */
async function uploadSample(path: string, teamId: string | undefined): Promise<string> {
  const url = sampleUrls[path];
  if (!url) throw new Error(`no bundled image for ${path}`);
  const image = await fetch(url);
  if (!image.ok) throw new Error(`could not fetch ${path}`);
  const bytes = await image.blob();
  // Named after the sample file, so the editor shows "portrait.jpg", not a hash.
  const query = new URLSearchParams({ name: path.split('/').at(-1) ?? path, ...(teamId ? { teamId } : {}) });
  const response = await fetch(`/api/uploads?${query}`, {
    method: 'POST',
    headers: { ...appRequestHeaders, 'content-type': bytes.type || 'image/jpeg' },
    body: bytes,
  });
  const body = (await response.json().catch(() => ({}))) as { file?: { sha256: string }; error?: { message?: string } };
  if (!response.ok || !body.file) throw new Error(body.error?.message ?? `the upload of ${path} failed (${response.status})`);
  return body.file.sha256;
}

/**
 * The example's document ready to save: every file load becomes an artifact load
 * of the uploaded sample. A sample that cannot be uploaded leaves the node
 * without an image (the editor asks for one) and is reported in `notes`.
 */
export async function prepareExample(example: Example, teamId: string | undefined): Promise<{ document: ExampleDocument; notes: string[] }> {
  const notes: string[] = [];
  const uploaded = new Map<string, string>();
  for (const path of example.samples) {
    try {
      uploaded.set(path, await uploadSample(path, teamId));
    } catch (error) {
      notes.push(`The sample image ${path} could not be uploaded (${error instanceof Error ? error.message : 'unknown error'}); choose an image in the editor.`);
    }
  }
  const nodes = example.document.nodes.map((node) => {
    if (node.type !== 'image.load' || node.params?.source !== 'file') return node;
    return { ...node, params: { source: 'artifact', artifact: uploaded.get(String(node.params.path ?? '')) ?? '' } };
  });
  return { document: { ...example.document, nodes }, notes };
}
