import type { DateLike } from './format';

/** "just now", "2 s ago", "4 min ago", "3 h ago": short enough for a table refreshed every 2 s. */
export function shortAgo(value: DateLike, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - new Date(value).getTime()) / 1000));
  if (seconds < 1) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

/** Execution providers as people write them: "cuda" → "CUDA", "cpu" → "CPU", anything else as given. */
export function providerLabel(provider: string): string {
  const known: Record<string, string> = { cuda: 'CUDA', cpu: 'CPU', tensorrt: 'TensorRT', coreml: 'CoreML', dml: 'DirectML', webgpu: 'WebGPU' };
  return known[provider.toLowerCase()] ?? provider;
}

export function providersLabel(providers: readonly string[]): string {
  return providers.map(providerLabel).join(', ');
}

/** 512 → "512 MiB", 9728 → "9.5 GiB", from 10 GiB whole GiB: 81920 → "80 GiB". */
export function formatMiB(mib: number | null | undefined): string {
  if (mib === null || mib === undefined || !Number.isFinite(mib)) return '—';
  if (mib < 1024) return `${Math.round(mib)} MiB`;
  const gib = mib / 1024;
  return `${gib >= 10 ? Math.round(gib) : Math.round(gib * 10) / 10} GiB`;
}

/** The first 12 hex digits of a sha256, enough to tell two model files apart. */
export function shortSha(sha256: string | undefined): string | undefined {
  return sha256 ? sha256.slice(0, 12) : undefined;
}

/**
 * The execution provider a model node names in a progress message ("onnxruntime: cuda",
 * "VAE decoder on cpu"), or undefined when the message names none (tiles, steps, counts).
 */
export function providerInMessage(message: string | undefined): string | undefined {
  const match = /(?:^onnxruntime: | on )(cuda|cpu|tensorrt|coreml|dml|webgpu)$/i.exec(message ?? '');
  return match?.[1]?.toLowerCase();
}
