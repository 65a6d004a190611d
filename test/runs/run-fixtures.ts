import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { PixelImage } from '../../nodes/_impl/pixel-image';
import type { RunQueue } from '../../server/runs/run-queue';
import type { RunOutcome } from '../../server/runs/run-outcome';
import type { WireEvent } from '../../server/runs/wire-events';
import { DiskArtifactStore } from '../../server/storage/disk-artifact-store';
import { graph } from '../helpers/graph-builder';
import { gradient } from '../helpers/images';

/** A fresh data folder (artifacts under ./artifacts, as createLocalServices lays it out). */
export async function tempData(): Promise<{ dataDir: string; artifacts: DiskArtifactStore; remove(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pw-runs-'));
  return {
    dataDir,
    artifacts: new DiskArtifactStore(join(dataDir, 'artifacts')),
    remove: () => rm(dataDir, { recursive: true, force: true }),
  };
}

export async function putPng(artifacts: DiskArtifactStore, image: PixelImage): Promise<string> {
  const png = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } }).png().toBuffer();
  return (await artifacts.put(png, { mediaType: 'image/png', width: image.width, height: image.height })).id;
}

export const putGradient = (artifacts: DiskArtifactStore, width = 1200, height = 800) => putPng(artifacts, gradient(width, height));

/** A solid grey PNG, cheap to make at any size (the slow graph does not care what is in it). */
export async function putSolid(artifacts: DiskArtifactStore, width: number, height: number): Promise<string> {
  const png = await sharp({ create: { width, height, channels: 3, background: '#808080' } }).png().toBuffer();
  return (await artifacts.put(png, { mediaType: 'image/png', width, height })).id;
}

/** load (artifact) → blur → save; graph output `blurred`. */
export function blurGraph(artifactId: string, sigma = 3) {
  return graph(
    [
      { id: 'load', type: 'image.load', params: { artifact: artifactId } },
      { id: 'blur', type: 'image.blur', params: { sigma } },
      { id: 'save', type: 'image.save', params: { filename: 'blurred' } },
    ],
    ['load.image -> blur.image', 'blur.image -> save.image'],
    { outputs: [{ name: 'blurred', kind: 'image', source: { node: 'blur', port: 'image' } }] },
  );
}

/** Graph input `photo` → a chain of `length` big blurs: slow, but every step yields (libvips works off-thread). */
export function blurChain(length: number, sigma: number) {
  const ids = Array.from({ length }, (_, i) => `blur${i + 1}`);
  return graph(
    ids.map((id) => ({ id, type: 'image.blur', params: { sigma } })),
    ids.slice(1).map((id, i) => `${ids[i]}.image -> ${id}.image`),
    { inputs: [{ name: 'photo', kind: 'image', targets: [{ node: 'blur1', port: 'image' }] }] },
  );
}

/**
 * Graph input `photo` → one big disc morphology: `iterations` passes of
 * synchronous work (the worker's event loop is blocked; progress after each
 * pass still streams). Vary radius between tests so no result cache can answer.
 */
export function slowGraph(radius: number, iterations: number) {
  return graph([{ id: 'morph', type: 'image.morphology', params: { operation: 'dilate', shape: 'disc', radius, iterations } }], [], {
    inputs: [{ name: 'photo', kind: 'image', targets: [{ node: 'morph', port: 'image' }] }],
    outputs: [{ name: 'mask', kind: 'mask', source: { node: 'morph', port: 'image' } }],
  });
}

/**
 * Records what a queue reports, and lets a test wait for a given event or
 * outcome (resolved by the listeners themselves: no polling, no sleeps).
 */
export class RunRecorder {
  readonly events = new Map<string, WireEvent[]>();
  readonly outcomes = new Map<string, RunOutcome>();
  readonly order: string[] = [];
  private readonly waiters = new Set<() => boolean>();
  private readonly unsubscribe: (() => void)[];

  constructor(queue: RunQueue) {
    this.unsubscribe = [
      queue.onEvent((runId, event) => {
        const list = this.events.get(runId) ?? [];
        list.push(event);
        this.events.set(runId, list);
        this.order.push(`${runId}:${event.type}`);
        this.wake();
      }),
      queue.onSettled((runId, outcome) => {
        this.outcomes.set(runId, outcome);
        this.order.push(`${runId}:settled`);
        this.wake();
      }),
    ];
  }

  eventsOf(runId: string): WireEvent[] {
    return this.events.get(runId) ?? [];
  }

  settled(runId: string): Promise<RunOutcome> {
    return this.when(() => this.outcomes.get(runId));
  }

  /** The first event of the run matching `test` (already seen or still to come). */
  event(runId: string, test: (event: WireEvent) => boolean): Promise<WireEvent> {
    return this.when(() => this.eventsOf(runId).find(test));
  }

  stop(): void {
    for (const u of this.unsubscribe) u();
  }

  private when<T>(probe: () => T | undefined): Promise<T> {
    const now = probe();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve) => {
      const check = () => {
        const value = probe();
        if (value === undefined) return false;
        this.waiters.delete(check);
        resolve(value);
        return true;
      };
      this.waiters.add(check);
    });
  }

  private wake(): void {
    for (const check of [...this.waiters]) check();
  }
}

/** Whether a process is still alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks a run's stream: attempt 1 starts at seq 1; a later attempt opens with
 * run.restarted (seq 0); within an attempt seq rises by exactly 1.
 */
export function assertOrdered(events: WireEvent[]): void {
  let attempt = 1;
  let seq = 0;
  for (const e of events) {
    if (e.type === 'run.restarted') {
      if (e.attempt !== attempt + 1 || e.seq !== 0) throw new Error(`run.restarted (${e.attempt}, ${e.seq}) after attempt ${attempt}`);
      attempt = e.attempt;
      seq = 0;
      continue;
    }
    if (e.attempt !== attempt || e.seq !== seq + 1) throw new Error(`(${e.attempt}, ${e.seq}) ${e.type} after (${attempt}, ${seq})`);
    seq = e.seq;
  }
}
