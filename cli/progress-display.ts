import type { RunEvent } from '../engine/run-events';
import type { WireEvent } from '../server/runs/wire-events';

type Line = { status: string; detail: string };

/**
 * Live per-node status on a terminal: one line per node, redrawn in place at
 * most every 50 ms. On a non-terminal stream it prints one line per finished node.
 */
export class ProgressDisplay {
  private readonly lines = new Map<string, Line>();
  private drawn = 0;
  private lastDraw = 0;

  constructor(private readonly out: NodeJS.WriteStream) {}

  private get live(): boolean {
    return Boolean(this.out.isTTY);
  }

  /** Engine events (local runs) or wire events (runs on a server): the fields shown are the same. */
  handle(event: RunEvent | WireEvent): void {
    switch (event.type) {
      case 'run.started':
        for (const id of event.nodeIds) this.lines.set(id, { status: 'waiting', detail: '' });
        break;
      case 'node.queued':
        this.set(event.nodeId, 'queued', '');
        break;
      case 'node.started':
        this.set(event.nodeId, 'running', '');
        break;
      case 'node.progress':
        this.set(event.nodeId, 'running', `${bar(event.fraction)} ${event.message ?? ''}`);
        break;
      case 'node.cached':
        this.finish(event.nodeId, 'cached', '');
        break;
      case 'node.finished':
        this.finish(event.nodeId, 'done', `${event.durationMs.toFixed(1)} ms`);
        break;
      case 'node.failed':
        this.finish(event.nodeId, 'FAILED', `${event.error.code}: ${event.error.message}`);
        break;
      case 'node.skipped':
        this.finish(event.nodeId, 'skipped', event.reason === 'cancelled' ? 'cancelled' : `upstream ${event.upstream} failed`);
        break;
      case 'run.finished':
        this.draw(true);
        this.out.write(`run ${event.status} in ${event.durationMs.toFixed(0)} ms\n`);
        break;
      default:
        break;
    }
  }

  private set(id: string, status: string, detail: string): void {
    this.lines.set(id, { status, detail });
    this.draw(false);
  }

  private finish(id: string, status: string, detail: string): void {
    this.lines.set(id, { status, detail });
    if (!this.live) this.out.write(`${pad(id)} ${status.padEnd(8)} ${detail}\n`);
    this.draw(false);
  }

  private draw(force: boolean): void {
    if (!this.live) return;
    const now = performance.now();
    if (!force && now - this.lastDraw < 50) return;
    this.lastDraw = now;
    const rows = [...this.lines].map(([id, l]) => `${pad(id)} ${l.status.padEnd(8)} ${l.detail}`.slice(0, (this.out.columns || 100) - 1));
    const up = this.drawn > 0 ? `\x1b[${this.drawn}F` : '';
    this.out.write(`${up}${rows.map((r) => `\x1b[2K${r}`).join('\n')}\n`);
    this.drawn = rows.length;
  }
}

function pad(id: string): string {
  return id.length > 24 ? `${id.slice(0, 23)}…` : id.padEnd(24);
}

function bar(fraction: number): string {
  const filled = Math.round(fraction * 20);
  return `[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`;
}
