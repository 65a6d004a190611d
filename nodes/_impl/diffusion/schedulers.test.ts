import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import { makeSchedule, spacedTimesteps } from './schedule';
import { ddim, ddpm, euler, predictX0 } from './schedulers';

const schedule = makeSchedule({ type: 'linear', betaStart: 1e-4, betaEnd: 0.02, T: 1000 });

/** x_t for a known x₀ and ε. */
function noised(x0: Float32Array, eps: Float32Array, t: number): Float32Array {
  const a = schedule.alphasCumprod[t]!;
  return x0.map((v, i) => Math.sqrt(a) * v + Math.sqrt(1 - a) * eps[i]!);
}

describe('rng', () => {
  it('is deterministic per seed and roughly standard normal', () => {
    const a = createRng(42).normals(20000);
    expect(createRng(42).normals(20000)).toEqual(a);
    expect(createRng(43).normals(5)).not.toEqual(a.slice(0, 5));
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const variance = a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});

describe('schedule', () => {
  it('matches the linear DDPM schedule (ᾱ_T ≈ 4.04e-5)', () => {
    expect(schedule.alphasCumprod[0]).toBe(1);
    expect(schedule.alphasCumprod[1]).toBeCloseTo(1 - 1e-4, 10);
    expect(schedule.alphasCumprod[1000]).toBeCloseTo(4.036e-5, 7);
  });
  it('spaces timesteps noisiest first, ending at 0', () => {
    expect(spacedTimesteps(1000, 4)).toEqual([1000, 750, 500, 250, 0]);
    expect(spacedTimesteps(1000, 4, 'leading')).toEqual([751, 501, 251, 1, 0]);
    expect(spacedTimesteps(1000, 1000)).toHaveLength(1001);
    for (const s of ['trailing', 'leading', 'linspace'] as const) {
      const ts = spacedTimesteps(1000, 30, s);
      expect(ts).toHaveLength(31);
      for (let i = 1; i < ts.length; i++) expect(ts[i]!).toBeLessThan(ts[i - 1]!);
    }
  });
});

describe('schedulers', () => {
  const n = 64;
  const x0 = createRng(1).normals(n).map((v) => Math.tanh(v));
  const eps = createRng(2).normals(n);
  const t = 600;
  const tPrev = 400;
  const xt = noised(x0, eps, t);

  it('recover x₀ from the true ε', () => {
    const pred = predictX0(schedule, xt, eps, t);
    for (let i = 0; i < n; i++) expect(pred[i]!).toBeCloseTo(x0[i]!, 4);
  });
  it('DDIM eta 0 with the true ε lands exactly on x_tPrev; the final step lands on x₀', () => {
    const s = ddim(schedule, { clip: false });
    const expected = noised(x0, eps, tPrev);
    const got = s.step(xt, eps, t, tPrev, createRng(0));
    for (let i = 0; i < n; i++) expect(got[i]!).toBeCloseTo(expected[i]!, 4);
    const last = s.step(xt, eps, t, 0, createRng(0));
    for (let i = 0; i < n; i++) expect(last[i]!).toBeCloseTo(x0[i]!, 4);
  });
  it('Euler eta 0 is the same ODE step as DDIM eta 0', () => {
    const a = ddim(schedule).step(xt, eps, t, tPrev, createRng(0));
    const b = euler(schedule).step(xt, eps, t, tPrev, createRng(0));
    for (let i = 0; i < n; i++) expect(b[i]!).toBeCloseTo(a[i]!, 4);
  });
  it('DDPM, DDIM eta 1 and Euler ancestral add seeded noise', () => {
    for (const s of [ddpm(schedule), ddim(schedule, { eta: 1 }), euler(schedule, { eta: 1 })]) {
      const a = s.step(xt, eps, t, tPrev, createRng(5));
      expect(s.step(xt, eps, t, tPrev, createRng(5))).toEqual(a);
      expect(s.step(xt, eps, t, tPrev, createRng(6))).not.toEqual(a);
      expect(a.every(Number.isFinite)).toBe(true);
    }
  });
  it('DDPM posterior mean is exact for the true ε at a single step', () => {
    // With x₀ known, the posterior mean of q(x_{t-1} | x_t, x₀) has a closed form; the noise-free part must match it.
    const zero = { uniform: () => 0.5, normal: () => 0, normals: (k: number) => new Float32Array(k) };
    const got = ddpm(schedule, { clip: false }).step(xt, eps, t, t - 1, zero);
    const a = schedule.alphasCumprod[t]!;
    const ap = schedule.alphasCumprod[t - 1]!;
    const beta = 1 - a / ap;
    for (let i = 0; i < n; i++) {
      const mean = ((Math.sqrt(ap) * beta) / (1 - a)) * x0[i]! + ((Math.sqrt(1 - beta) * (1 - ap)) / (1 - a)) * xt[i]!;
      expect(got[i]!).toBeCloseTo(mean, 4);
    }
  });
  it('rejects a tPrev that is not before t', () => {
    expect(() => ddim(schedule).step(xt, eps, t, t, createRng(0))).toThrow(RangeError);
  });
});
