/** Seeded pseudo-random numbers for the generator: named, reproducible streams, never Math.random. */

/** A stream of pseudo-random draws; the same (seed, name) always gives the same sequence. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Standard normal. */
  normal(): number;
  /** Poisson count with mean lambda. */
  poisson(lambda: number): number;
  /** Index drawn from cumulative weights (last entry = 1). */
  pick(cumulative: readonly number[]): number;
}

/** 32-bit FNV-1a of a string, used to give every stream its own state from (seed, name). */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32: spreads a 32-bit seed into well-mixed state words. */
function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** sfc32 (Chris Doty-Humphrey's small fast counter): passes PractRand, 128-bit state. */
function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** The stream `name` of generator seed `seed`. */
export function createRng(seed: number, name: string): Rng {
  const mix = splitmix32((fnv1a(name) ^ Math.imul(seed >>> 0, 0x27d4eb2d)) >>> 0);
  const uniform = sfc32(mix(), mix(), mix(), mix());
  for (let i = 0; i < 12; i++) uniform();
  let spare: number | undefined;
  const rng: Rng = {
    next: uniform,
    int: (n) => Math.floor(uniform() * n),
    normal() {
      if (spare !== undefined) {
        const value = spare;
        spare = undefined;
        return value;
      }
      // Box-Muller; 1 - u keeps the logarithm's argument in (0, 1].
      const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
      const angle = 2 * Math.PI * uniform();
      spare = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
    poisson(lambda) {
      if (lambda <= 0) return 0;
      if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
      // Knuth's product of uniforms: exact, cheap for small means (the real data's few sales per customer).
      const limit = Math.exp(-lambda);
      let count = 0;
      for (let product = uniform(); product > limit; product *= uniform()) count++;
      return count;
    },
    pick(cumulative) {
      const u = uniform();
      for (let i = 0; i < cumulative.length - 1; i++) if (u < (cumulative[i] as number)) return i;
      return cumulative.length - 1;
    },
  };
  return rng;
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7): maps a latent score to (0, 1). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Cumulative sums of weights, normalised so the last entry is exactly 1. */
export function cumulative(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  let running = 0;
  const out = weights.map((w) => (running += w / total));
  out[out.length - 1] = 1;
  return out;
}
