/** A source of uniform numbers in [0, 1); seeded, so a run can be repeated exactly. */
export type RandomSource = () => number;

/**
 * mulberry32: a tiny 32-bit generator, plenty for sampling pairs and simulating data; domain code
 * never calls Math.random, so the same seed gives the same model.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, bound). */
export function randomInt(random: RandomSource, bound: number): number {
  return Math.floor(random() * bound);
}
