import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { defaultImageLimits } from '../../nodes/context';
import { isNodeError } from '../../nodes/errors';
import { zWireEvent, type WireEvent } from '../../server/runs/wire-events';
import { readRegularFile } from '../../server/storage/file-root';
import { UsageError } from '../cli-error';
import { ProgressDisplay } from '../progress-display';
import { parseLooseValue, splitAssignment } from '../parse-values';

export interface RemoteRunFlags {
  server: string;
  token: string;
  graphId: string;
  version?: number;
  inputs: string[];
  out: string;
  json: boolean;
}

const mediaTypes: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif', '.tif': 'image/tiff', '.tiff': 'image/tiff', '.avif': 'image/avif' };

/** Reads server-sent events from a response body, calling `onEvent` for each `data` frame with its id. */
async function readEvents(response: Response, onEvent: (id: string, event: string | undefined, data: string) => boolean | void): Promise<void> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let id = '';
      let event: string | undefined;
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('id:')) id = line.slice(3).trim();
        else if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (onEvent(id, event, data.join('\n')) === true) {
        await reader.cancel();
        return;
      }
    }
  }
}

/**
 * `pixelwire run --server URL --token TOKEN GRAPH_ID`: runs a saved pipeline on a Pixelwire
 * server through its HTTP API — image inputs (file paths) uploaded with the request, live
 * progress from the run's event stream, image outputs downloaded into --out.
 */
export async function remoteRunCommand(flags: RemoteRunFlags): Promise<number> {
  const base = new URL(flags.server.endsWith('/') ? flags.server : `${flags.server}/`);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(flags.graphId)) throw new UsageError(`"${flags.graphId}" is not a graph id (with --server, give the id of a saved graph)`);
  const headers = { authorization: `Bearer ${flags.token}` };
  const call = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(new URL(path, base), { ...init, headers: { ...headers, ...init.headers } }).catch((error: unknown) => {
      throw new UsageError(`cannot reach ${base.origin}: ${error instanceof Error ? error.message : String(error)}`);
    });
    if (!response.ok) {
      const body = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
      throw new RemoteError(response.status, body?.error?.code ?? 'HTTP_ERROR', body?.error?.message ?? response.statusText);
    }
    return response;
  };

  const form = new FormData();
  const values: Record<string, unknown> = {};
  for (const flag of flags.inputs) {
    const [name, raw] = splitAssignment(flag, '--input');
    const type = mediaTypes[extname(raw).toLowerCase()];
    if (type) {
      const bytes = await readRegularFile(resolve(raw), defaultImageLimits.maxInputBytes, raw).catch((error: unknown) => {
        throw new UsageError(`--input ${name}: cannot read image file ${raw}${isNodeError(error) ? ` (${error.message})` : ''}`);
      });
      form.append(name, new Blob([new Uint8Array(bytes)], { type }), basename(raw));
    } else {
      values[name] = parseLooseValue(raw);
    }
  }
  form.append('inputs', JSON.stringify(values));
  if (flags.version) form.append('version', String(flags.version));
  const run = (await (await call(`api/v1/graphs/${encodeURIComponent(flags.graphId)}/runs`, { method: 'POST', body: form })).json()) as { id: string };

  const display = flags.json ? undefined : new ProgressDisplay(process.stderr);
  let finished: Extract<WireEvent, { type: 'run.finished' }> | undefined;
  const stream = await call(`api/v1/runs/${run.id}/events`, { headers: { accept: 'text/event-stream' } });
  await readEvents(stream, (_id, event, data) => {
    if (event === 'end') return true;
    if (!data) return;
    const parsed = zWireEvent.safeParse(JSON.parse(data));
    if (!parsed.success) return;
    if (parsed.data.type === 'run.restarted') process.stderr.write(`${parsed.data.message}\n`);
    else display?.handle(parsed.data);
    if (parsed.data.type === 'run.finished') finished = parsed.data;
  });
  if (!finished) throw new RemoteError(0, 'stream_ended', 'the event stream ended before the run finished');

  const outDir = resolve(flags.out);
  const outputs: Record<string, unknown> = {};
  for (const [name, summary] of Object.entries(finished.outputs)) {
    if (!('artifactId' in summary)) {
      outputs[name] = { value: summary.value };
      continue;
    }
    const bytes = Buffer.from(await (await call(`api/v1/runs/${run.id}/files/${summary.artifactId}`)).arrayBuffer());
    await mkdir(outDir, { recursive: true });
    const path = join(outDir, `${name}.png`);
    await writeFile(path, bytes);
    outputs[name] = { kind: summary.kind, width: summary.width, height: summary.height, path };
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ status: finished.status, runId: run.id, durationMs: finished.durationMs, outputs, errors: finished.errors }, null, 2)}\n`);
  } else {
    for (const [name, summary] of Object.entries(outputs)) process.stdout.write(`${name}: ${JSON.stringify(summary)}\n`);
    for (const e of finished.errors) process.stderr.write(`error in ${e.nodeId ?? 'graph'}: ${e.code}: ${e.message}\n`);
  }
  return finished.status === 'succeeded' ? 0 : 1;
}

/** The server refused or failed a request: its status, code and message. */
export class RemoteError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}
