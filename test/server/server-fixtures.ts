import { TRPCClientError } from '@trpc/client';
import sharp from 'sharp';
import { expect } from 'vitest';
import type { WireEvent } from '../../server/runs/wire-events';
import { readSse, type SseEvent, type TestClient } from '../helpers/server-harness';

/** Shared pieces of the functional server tests (not a test file itself). */

/** A PNG of random grey noise (compresses badly: good for "real" photos). */
export function noisyPng(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 30 } } })
    .png()
    .toBuffer();
}

/** A PNG of one colour: tiny even when large. */
export function solidPng(width: number, height: number, background = '#336699'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background } }).png({ compressionLevel: 9 }).toBuffer();
}

/** A grey PNG with a few bright squares, so dilation has work to do on every pass; compresses well. */
export async function spottyPng(width: number, height: number): Promise<Buffer> {
  const square = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#ffffff' } }).png().toBuffer();
  const spots = [];
  for (let y = 100; y < height - 40; y += 400) for (let x = 100; x < width - 40; x += 400) spots.push({ input: square, left: x, top: y });
  return sharp({ create: { width, height, channels: 3, background: '#202020' } }).composite(spots).png({ compressionLevel: 9 }).toBuffer();
}

export interface UploadedFile {
  id: string;
  sha256: string;
  mediaType: string;
  size: number;
  width: number;
  height: number;
}

/** Uploads one image as a raw body and returns its artifact row. */
export async function upload(client: TestClient, bytes: Buffer, query = ''): Promise<UploadedFile> {
  const response = await client.fetch(`/api/uploads${query}`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(bytes) });
  expect(response.status, await response.clone().text()).toBe(201);
  const { file } = (await response.json()) as { file: UploadedFile };
  return file;
}

export const loadNode = (artifact: string) => ({ id: 'load', type: 'image.load', params: { source: 'artifact', artifact } });

/** load → blur → output "result": a small graph that runs in well under a second. */
export const blurGraph = (artifact: string, sigma = 1) => ({
  format: 'pixelwire.graph',
  version: 1,
  nodes: [loadNode(artifact), { id: 'blur', type: 'image.blur', params: { sigma } }],
  edges: [{ from: { node: 'load', port: 'image' }, to: { node: 'blur', port: 'image' } }],
  outputs: [{ name: 'result', kind: 'image', source: { node: 'blur', port: 'image' } }],
});

/** A blur whose image input is not connected: schema-valid, semantically incomplete (missing_input on "blur"). */
export const unwiredGraph = () => ({
  format: 'pixelwire.graph',
  version: 1,
  nodes: [{ id: 'blur', type: 'image.blur', params: { sigma: 2 } }],
  edges: [],
  outputs: [{ name: 'result', kind: 'image', source: { node: 'blur', port: 'image' } }],
});

/** The tRPC error of a rejected call: its code and the `data` the server's error formatter put there. */
export async function trpcError(call: Promise<unknown>): Promise<{ code: string; message: string; data: Record<string, any> }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCClientError) return { code: String(error.data?.code), message: error.message, data: error.data ?? {} };
    throw error;
  }
  throw new Error('expected the call to fail, it succeeded');
}

/** One event of a run as the tRPC subscription streams it. */
export interface StreamedEvent {
  id: string;
  event: WireEvent;
}

/**
 * Reads `runs.events` the way a browser's EventSource would: a raw GET of
 * /api/trpc/runs.events?input=<json>, parsed as server-sent events until tRPC's
 * `return` event. A `serialized-error` event becomes a thrown error with its data.
 */
export async function subscribeRunEvents(
  client: TestClient,
  input: { runId: string; lastEventId?: string },
  options: { headers?: Record<string, string>; onEvent?: (event: StreamedEvent) => void } = {},
): Promise<StreamedEvent[]> {
  const response = await client.fetch(`/api/trpc/runs.events?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: options.headers });
  if (!response.headers.get('content-type')?.includes('text/event-stream')) {
    throw Object.assign(new Error(`not an event stream: ${response.status} ${await response.text()}`), { status: response.status });
  }
  const out: StreamedEvent[] = [];
  let failure: SseEvent | undefined;
  await readSse(response, (sse) => {
    if (sse.event === 'serialized-error') {
      failure = sse;
      return true;
    }
    if (sse.event === 'return') return true;
    if (sse.event) return false; // connected, ping, restore-id
    const streamed = { id: sse.id ?? '', event: JSON.parse(sse.data) as WireEvent };
    out.push(streamed);
    options.onEvent?.(streamed);
    return false;
  });
  if (failure) throw Object.assign(new Error(`stream error: ${failure.data}`), { data: JSON.parse(failure.data) });
  return out;
}

/**
 * A graph called like a function: image input "photo" → resize to the number input "width"
 * (optional with default 16, or required) → output "result".
 */
export const resizeGraph = (widthRequired = false) => ({
  format: 'pixelwire.graph',
  version: 1,
  nodes: [{ id: 'resize', type: 'image.resize', params: {} }],
  edges: [],
  inputs: [
    { name: 'photo', kind: 'image', targets: [{ node: 'resize', port: 'image' }] },
    { name: 'width', kind: 'number', ...(widthRequired ? {} : { required: false, default: 16 }), targets: [{ node: 'resize', param: 'width' }] },
  ],
  outputs: [{ name: 'result', kind: 'image', source: { node: 'resize', port: 'image' } }],
});
