/** A source of uniform numbers in [0, 1): `Math.random`, or `seededRandom(seed)` to repeat a run. */
export type RandomSource = () => number;

/**
 * Mulberry32: a small, fast 32-bit generator of numbers in [0, 1), plenty for sampling and
 * simulating; the same seed gives the same sequence.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An integer in [0, bound). */
export function randomInt(random: RandomSource, bound: number): number {
  return Math.floor(random() * bound);
}

/** A standard normal draw by Box–Muller (one of the pair; the other is not kept, to stay pure). */
export function sampleNormal(random: RandomSource): number {
  const radius = Math.sqrt(-2 * Math.log(1 - random()));
  return radius * Math.cos(2 * Math.PI * random());
}

/**
 * A Gamma(shape, 1) draw by Marsaglia and Tsang (2000), with the squeeze; a shape below one is
 * boosted: Gamma(shape + 1) · U^(1/shape). A shape of zero or less is a point mass at zero. Divide
 * by a rate for Gamma(shape, rate).
 */
export function sampleGamma(shape: number, random: RandomSource): number {
  if (!(shape > 0)) return 0;
  if (shape < 1) return sampleGamma(shape + 1, random) * (1 - random()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = sampleNormal(random);
    const cube = (1 + c * x) ** 3;
    if (cube <= 0) continue;
    const u = random();
    if (u < 1 - 0.0331 * x ** 4) return d * cube;
    if (Math.log(u) < 0.5 * x * x + d * (1 - cube + Math.log(cube))) return d * cube;
  }
}
