import type { Rng } from './rng';
import { alphaBar, type NoiseSchedule } from './schedule';

/**
 * Diffusion samplers as pure steps over Float32Arrays. The sample x lives in the
 * variance-preserving space the model was trained on: x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε.
 * Each step takes x at t and the model's ε and returns x at tPrev (< t; 0 is clean).
 */
export const schedulerNames = ['ddpm', 'ddim', 'euler'] as const;
export type SchedulerName = (typeof schedulerNames)[number];

export interface StepOptions {
  /** DDIM: 0 deterministic, 1 DDPM-like noise. Euler: > 0 is Euler ancestral. Ignored by DDPM. */
  eta?: number;
  /** Clip the predicted x₀ to [-1, 1] (pixel-space models). */
  clip?: boolean;
}

export type StepFn = (x: Float32Array, eps: Float32Array, t: number, tPrev: number, rng: Rng) => Float32Array;

export interface Scheduler {
  readonly name: SchedulerName;
  step: StepFn;
}

/** x₀ = (x − √(1−ᾱ)·ε)/√ᾱ, optionally clipped. */
export function predictX0(schedule: NoiseSchedule, x: Float32Array, eps: Float32Array, t: number, clip = false): Float32Array {
  const a = alphaBar(schedule, t);
  const sa = Math.sqrt(a);
  const sb = Math.sqrt(1 - a);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = (x[i]! - sb * eps[i]!) / sa;
    out[i] = clip ? Math.min(1, Math.max(-1, v)) : v;
  }
  return out;
}

function check(x: Float32Array, eps: Float32Array, t: number, tPrev: number): void {
  if (x.length !== eps.length) throw new RangeError(`sample has ${x.length} values, eps ${eps.length}`);
  if (!(tPrev < t) || tPrev < 0) throw new RangeError(`tPrev (${tPrev}) must be in 0..t-1 (t = ${t})`);
}

/** DDPM ancestral step, generalised to skipped timesteps (as diffusers' DDPMScheduler). */
export function ddpm(schedule: NoiseSchedule, options: StepOptions = {}): Scheduler {
  const clip = options.clip ?? true;
  return {
    name: 'ddpm',
    step(x, eps, t, tPrev, rng) {
      check(x, eps, t, tPrev);
      const a = alphaBar(schedule, t);
      const ap = alphaBar(schedule, tPrev);
      const alpha = a / ap;
      const beta = 1 - alpha;
      const x0 = predictX0(schedule, x, eps, t, clip);
      const c0 = (Math.sqrt(ap) * beta) / (1 - a);
      const ct = (Math.sqrt(alpha) * (1 - ap)) / (1 - a);
      const std = tPrev > 0 ? Math.sqrt(((1 - ap) / (1 - a)) * beta) : 0;
      const out = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) out[i] = c0 * x0[i]! + ct * x[i]! + (std > 0 ? std * rng.normal() : 0);
      return out;
    },
  };
}

/** DDIM step (Song et al.), eta 0 deterministic. */
export function ddim(schedule: NoiseSchedule, options: StepOptions = {}): Scheduler {
  const eta = options.eta ?? 0;
  const clip = options.clip ?? true;
  return {
    name: 'ddim',
    step(x, eps, t, tPrev, rng) {
      check(x, eps, t, tPrev);
      const a = alphaBar(schedule, t);
      const ap = alphaBar(schedule, tPrev);
      const x0 = predictX0(schedule, x, eps, t, clip);
      const sigma = eta * Math.sqrt((1 - ap) / (1 - a)) * Math.sqrt(1 - a / ap);
      const dirScale = Math.sqrt(Math.max(0, 1 - ap - sigma * sigma));
      const sa = Math.sqrt(a);
      const sb = Math.sqrt(1 - a);
      const out = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) {
        // ε consistent with the (possibly clipped) x₀.
        const e = clip ? (x[i]! - sa * x0[i]!) / sb : eps[i]!;
        out[i] = Math.sqrt(ap) * x0[i]! + dirScale * e + (sigma > 0 ? sigma * rng.normal() : 0);
      }
      return out;
    },
  };
}

/**
 * k-diffusion Euler (Karras et al.) on σ_t = √((1−ᾱ_t)/ᾱ_t): the sample is taken to
 * x/√ᾱ_t, moved along d = (x − D)/σ from σ_t to σ_tPrev, and brought back. With eta > 0
 * it is Euler ancestral (σ_down, σ_up split). With eta 0 this is the same ODE step as
 * DDIM eta 0 (up to rounding), which the tests use as a cross-check.
 */
export function euler(schedule: NoiseSchedule, options: StepOptions = {}): Scheduler {
  const eta = options.eta ?? 0;
  const clip = options.clip ?? true;
  return {
    name: 'euler',
    step(x, eps, t, tPrev, rng) {
      check(x, eps, t, tPrev);
      const a = alphaBar(schedule, t);
      const ap = alphaBar(schedule, tPrev);
      const sigma = Math.sqrt((1 - a) / a);
      const sigmaPrev = Math.sqrt((1 - ap) / ap);
      const sigmaUp = eta > 0 ? Math.min(sigmaPrev, eta * Math.sqrt((sigmaPrev ** 2 * (sigma ** 2 - sigmaPrev ** 2)) / sigma ** 2)) : 0;
      const sigmaDown = Math.sqrt(sigmaPrev ** 2 - sigmaUp ** 2);
      const sa = Math.sqrt(a);
      const out = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) {
        const xk = x[i]! / sa;
        let denoised = xk - sigma * eps[i]!;
        if (clip) denoised = Math.min(1, Math.max(-1, denoised));
        const d = (xk - denoised) / sigma;
        const next = denoised + sigmaDown * d + (sigmaUp > 0 ? sigmaUp * rng.normal() : 0);
        out[i] = next * Math.sqrt(ap);
      }
      return out;
    },
  };
}

export function makeScheduler(name: SchedulerName, schedule: NoiseSchedule, options: StepOptions = {}): Scheduler {
  switch (name) {
    case 'ddpm':
      return ddpm(schedule, options);
    case 'ddim':
      return ddim(schedule, options);
    case 'euler':
      return euler(schedule, options);
  }
}

/** Classifier-free guidance: ε = ε_uncond + g·(ε_cond − ε_uncond). */
export function guide(epsCond: Float32Array, epsUncond: Float32Array, g: number): Float32Array {
  const out = new Float32Array(epsCond.length);
  for (let i = 0; i < out.length; i++) out[i] = epsUncond[i]! + g * (epsCond[i]! - epsUncond[i]!);
  return out;
}
