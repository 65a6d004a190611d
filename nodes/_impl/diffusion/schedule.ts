/**
 * Noise schedules and timestep spacing. Timesteps are 1-based as in the DDPM paper:
 * t = T is the noisiest step, t = 0 is a clean sample (ᾱ₀ = 1). The network is
 * called with t − 1, the 0-based index it was trained on.
 */
export type ScheduleSpec =
  | { type: 'linear'; betaStart: number; betaEnd: number; T: number }
  /** Stable Diffusion's: betas linear in √β from √betaStart to √betaEnd. */
  | { type: 'scaled_linear'; betaStart: number; betaEnd: number; T: number }
  | { type: 'cosine'; T: number; s?: number };

export interface NoiseSchedule {
  readonly T: number;
  /** ᾱ_t for t = 0..T, with ᾱ₀ = 1. Float64. */
  readonly alphasCumprod: Float64Array;
}

export function makeSchedule(spec: ScheduleSpec): NoiseSchedule {
  const { T } = spec;
  const betas = new Float64Array(T);
  if (spec.type === 'linear') {
    // Same as torch.linspace(betaStart, betaEnd, T) in float64.
    for (let i = 0; i < T; i++) betas[i] = T === 1 ? spec.betaStart : spec.betaStart + ((spec.betaEnd - spec.betaStart) * i) / (T - 1);
  } else if (spec.type === 'scaled_linear') {
    const a = Math.sqrt(spec.betaStart);
    const b = Math.sqrt(spec.betaEnd);
    for (let i = 0; i < T; i++) betas[i] = (T === 1 ? a : a + ((b - a) * i) / (T - 1)) ** 2;
  } else {
    const s = spec.s ?? 0.008;
    const f = (t: number) => Math.cos((((t / T + s) / (1 + s)) * Math.PI) / 2) ** 2;
    for (let i = 0; i < T; i++) betas[i] = Math.min(1 - f(i + 1) / f(i), 0.999);
  }
  const abar = new Float64Array(T + 1);
  abar[0] = 1;
  let prod = 1;
  for (let i = 0; i < T; i++) {
    prod *= 1 - betas[i]!;
    abar[i + 1] = prod;
  }
  return { T, alphasCumprod: abar };
}

/** σ_t = √((1 − ᾱ_t)/ᾱ_t), the k-diffusion noise level of step t (0 for t = 0). */
export function sigmaOf(schedule: NoiseSchedule, t: number): number {
  const a = alphaBar(schedule, t);
  return Math.sqrt((1 - a) / a);
}

export function alphaBar(schedule: NoiseSchedule, t: number): number {
  const a = schedule.alphasCumprod[t];
  if (a === undefined || !Number.isInteger(t)) throw new RangeError(`timestep ${t} is outside 0..${schedule.T}`);
  return a;
}

export const timestepSpacings = ['trailing', 'leading', 'linspace'] as const;
export type TimestepSpacing = (typeof timestepSpacings)[number];

/**
 * The timesteps a sampler visits, noisiest first, ending with 0 (clean): `steps` model
 * calls, so the list has steps + 1 entries. 'trailing' starts at T (best for few steps),
 * 'leading' is the DDIM paper's spacing, 'linspace' spreads evenly over 1..T.
 */
export function spacedTimesteps(T: number, steps: number, spacing: TimestepSpacing = 'trailing'): number[] {
  if (!Number.isInteger(steps) || steps < 1 || steps > T) throw new RangeError(`steps must be an integer in 1..${T}`);
  const ts: number[] = [];
  for (let i = 0; i < steps; i++) {
    let t: number;
    if (spacing === 'trailing') t = Math.round(T - (i * T) / steps);
    else if (spacing === 'leading') t = Math.floor((T / steps) * (steps - 1 - i)) + 1;
    else t = steps === 1 ? T : Math.round(T - (i * (T - 1)) / (steps - 1));
    ts.push(t);
  }
  ts.push(0);
  // Strictly decreasing, whatever rounding did.
  for (let i = 1; i < ts.length; i++) if (ts[i]! >= ts[i - 1]!) ts[i] = ts[i - 1]! - 1;
  if (ts[ts.length - 1]! < 0) throw new RangeError(`cannot space ${steps} steps over ${T}`);
  return ts;
}
