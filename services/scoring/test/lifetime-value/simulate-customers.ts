import type {
  BgNbdParameters,
  GammaGammaParameters,
  PurchaseAndSpendHistory,
} from "../../src/domain/lifetime-value/index.js";

/** Uniform numbers in [0, 1), reproducible from a seed. */
export type Random = () => number;

/** mulberry32 (Tommy Ettinger): a 32-bit state, good enough to simulate customers. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function exponential(random: Random, rate: number): number {
  return -Math.log1p(-random()) / rate;
}

/** Standard normal by Box–Muller (one of the pair is thrown away: simpler, and speed is no issue). */
export function standardNormal(random: Random): number {
  return Math.sqrt(-2 * Math.log1p(-random())) * Math.cos(2 * Math.PI * random());
}

/**
 * Gamma(shape, rate) by Marsaglia & Tsang (2000); for shape < 1, Gamma(shape + 1) · U^(1/shape).
 */
export function gamma(random: Random, shape: number, rate: number): number {
  if (shape < 1) return gamma(random, shape + 1, rate) * random() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const normal = standardNormal(random);
    const v = (1 + c * normal) ** 3;
    if (v <= 0) continue;
    const u = random();
    if (Math.log(u) < 0.5 * normal * normal + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

export function beta(random: Random, a: number, b: number): number {
  const x = gamma(random, a, 1);
  return x / (x + gamma(random, b, 1));
}

export type Simulation = {
  customers: number;
  seed: number;
  bgNbd: BgNbdParameters;
  gammaGamma: GammaGammaParameters;
  /** Each customer is observed for a uniform number of days in [minAgeDays, maxAgeDays]. */
  minAgeDays: number;
  maxAgeDays: number;
};

/**
 * Customers drawn from the models themselves. Each gets a purchase rate λ ~ Gamma(r, α) and a
 * drop-out probability p ~ Beta(a, b), makes a first purchase at day 0, then buys as a Poisson
 * process of rate λ; after each repeat purchase they drop out with probability p. Spend: ν ~
 * Gamma(q, v) per customer, each repeat purchase worth Gamma(p, ν); meanRepeatSpend is 0 with
 * no repeat purchase.
 */
export function simulateCustomers(simulation: Simulation): PurchaseAndSpendHistory[] {
  const { customers, seed, bgNbd, gammaGamma, minAgeDays, maxAgeDays } = simulation;
  const random = mulberry32(seed);
  return Array.from({ length: customers }, () => {
    const ageDays = minAgeDays + (maxAgeDays - minAgeDays) * random();
    const purchaseRate = gamma(random, bgNbd.r, bgNbd.alpha);
    const dropOut = beta(random, bgNbd.a, bgNbd.b);
    let repeatPurchases = 0;
    let recencyDays = 0;
    for (
      let day = exponential(random, purchaseRate);
      day <= ageDays;
      day += exponential(random, purchaseRate)
    ) {
      repeatPurchases += 1;
      recencyDays = day;
      if (random() < dropOut) break;
    }
    const spendRate = gamma(random, gammaGamma.q, gammaGamma.v);
    let totalSpend = 0;
    for (let purchase = 0; purchase < repeatPurchases; purchase += 1) {
      totalSpend += gamma(random, gammaGamma.p, spendRate);
    }
    const meanRepeatSpend = repeatPurchases === 0 ? 0 : totalSpend / repeatPurchases;
    return { repeatPurchases, recencyDays, ageDays, meanRepeatSpend };
  });
}
