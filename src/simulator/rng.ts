// Seeded randomness, so a run with the same seed makes the same fault and webhook choices.

/** A seeded pseudo-random source. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** An integer in [0, n). */
  int(n: number): number;
}

/** mulberry32: tiny, fast and good enough for simulation choices. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p) => p > 0 && (p >= 1 || next() < p),
    int: (n) => Math.floor(next() * n),
  };
}
