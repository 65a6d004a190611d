/**
 * A small seeded RNG (mulberry32) with Box–Muller normals, so diffusion runs
 * are bit-identical for a seed on any machine: no Math.random, no platform RNG.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
  /** A new array of standard normals. */
  normals(n: number): Float32Array;
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  let spare: number | undefined;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u1 = 1 - uniform(); // (0, 1]: log stays finite
    const u2 = uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
  return {
    uniform,
    normal,
    normals(n) {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = normal();
      return out;
    },
  };
}

/** A seed for one step of a chain, derived from the run's seed and the timestep. */
export function stepSeed(seed: number, t: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(t + 1, 0x85ebca6b)) >>> 0;
}
