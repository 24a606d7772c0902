import { type RandomSource, randomInt, sampleGamma } from "@rapport/sampling";

/** The few draws the company generator needs, over one seeded uniform source. */
export type Draws = {
  uniform: RandomSource;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** A Gamma draw with the given shape and mean. */
  gamma(shape: number, mean: number): number;
  /** An exponential draw with the given mean. */
  exponential(mean: number): number;
};

export function drawsOf(uniform: RandomSource): Draws {
  return {
    uniform,
    int: (min, max) => min + randomInt(uniform, max - min + 1),
    pick: <T>(items: readonly T[]) => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[randomInt(uniform, items.length)] as T;
    },
    chance: (probability) => uniform() < probability,
    gamma: (shape, mean) => (sampleGamma(shape, uniform) * mean) / shape,
    exponential: (mean) => -Math.log1p(-uniform()) * mean,
  };
}
