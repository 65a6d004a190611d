import { describe, expect, it } from 'vitest';
import { formatMiB, providerInMessage, providersLabel, shortAgo, shortSha } from './worker-format';

describe('worker formatting', () => {
  it('says how long ago a heartbeat was, briefly', () => {
    const now = 1_000_000_000;
    expect(shortAgo(now - 200, now)).toBe('just now');
    expect(shortAgo(now - 2_000, now)).toBe('2 s ago');
    expect(shortAgo(now - 125_000, now)).toBe('2 min ago');
    expect(shortAgo(now - 3 * 3_600_000, now)).toBe('3 h ago');
    expect(shortAgo(now + 5_000, now)).toBe('just now');
  });

  it('names providers, memory and model digests', () => {
    expect(providersLabel(['cuda', 'cpu'])).toBe('CUDA, CPU');
    expect(formatMiB(512)).toBe('512 MiB');
    expect(formatMiB(9_728)).toBe('9.5 GiB');
    expect(formatMiB(15_872)).toBe('16 GiB');
    expect(formatMiB(81_559)).toBe('80 GiB');
    expect(formatMiB(null)).toBe('—');
    expect(shortSha('a'.repeat(64))).toBe('aaaaaaaaaaaa');
    expect(shortSha(undefined)).toBeUndefined();
  });

  it('finds the execution provider in model nodes’ progress messages, and nothing in others', () => {
    expect(providerInMessage('onnxruntime: cuda')).toBe('cuda');
    expect(providerInMessage('onnxruntime: cpu')).toBe('cpu');
    expect(providerInMessage('VAE decoder on cuda')).toBe('cuda');
    expect(providerInMessage('VAE encoder on cpu')).toBe('cpu');
    expect(providerInMessage('tile 2/4')).toBeUndefined();
    expect(providerInMessage('step 3/20')).toBeUndefined();
    expect(providerInMessage('rescaling')).toBeUndefined();
    expect(providerInMessage(undefined)).toBeUndefined();
  });
});
