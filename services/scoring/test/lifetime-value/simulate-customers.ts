import { type RandomSource, sampleGamma, seededRandom } from "@rapport/sampling";
import type {
  BgNbdParameters,
  GammaGammaParameters,
  MbgNbdParameters,
  ParetoNbdParameters,
  PurchaseAndSpendHistory,
  PurchaseHistory,
} from "../../src/domain/lifetime-value/index.js";

export function exponential(random: RandomSource, rate: number): number {
  return -Math.log1p(-random()) / rate;
}

/** Gamma(shape, rate): a Gamma(shape, 1) draw divided by the rate. */
export function gamma(random: RandomSource, shape: number, rate: number): number {
  return sampleGamma(shape, random) / rate;
}

export function beta(random: RandomSource, a: number, b: number): number {
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
  const random = seededRandom(seed);
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

/** Purchase histories only, drawn from one purchase-count model's parameters. */
export type PurchaseSimulation<Parameters> = {
  customers: number;
  seed: number;
  parameters: Parameters;
  /** Each customer is observed for a uniform number of days in [minAgeDays, maxAgeDays]. */
  minAgeDays: number;
  maxAgeDays: number;
};

/**
 * Customers drawn from MBG/NBD: as in simulateCustomers, λ ~ Gamma(r, α) and p ~ Beta(a, b), but
 * the first purchase at day 0 counts as a purchase after which one may drop out, so a customer
 * drops out with probability p at day 0 and again after each repeat purchase.
 */
export function simulateMbgNbdCustomers(simulation: PurchaseSimulation<MbgNbdParameters>): PurchaseHistory[] {
  const { customers, seed, parameters, minAgeDays, maxAgeDays } = simulation;
  const { r, alpha, a, b } = parameters;
  const random = seededRandom(seed);
  return Array.from({ length: customers }, () => {
    const ageDays = minAgeDays + (maxAgeDays - minAgeDays) * random();
    const purchaseRate = gamma(random, r, alpha);
    const dropOut = beta(random, a, b);
    let repeatPurchases = 0;
    let recencyDays = 0;
    if (random() >= dropOut) {
      for (
        let day = exponential(random, purchaseRate);
        day <= ageDays;
        day += exponential(random, purchaseRate)
      ) {
        repeatPurchases += 1;
        recencyDays = day;
        if (random() < dropOut) break;
      }
    }
    return { repeatPurchases, recencyDays, ageDays };
  });
}

/**
 * Customers drawn from Pareto/NBD: λ ~ Gamma(r, α) and a drop-out rate μ ~ Gamma(s, β) each; the
 * customer stays for an exponential lifetime of rate μ from the first purchase at day 0 and buys
 * as a Poisson process of rate λ until then, or until the end of observation if sooner.
 */
export function simulateParetoNbdCustomers(
  simulation: PurchaseSimulation<ParetoNbdParameters>,
): PurchaseHistory[] {
  const { customers, seed, parameters, minAgeDays, maxAgeDays } = simulation;
  const { r, alpha, s, beta } = parameters;
  const random = seededRandom(seed);
  return Array.from({ length: customers }, () => {
    const ageDays = minAgeDays + (maxAgeDays - minAgeDays) * random();
    const purchaseRate = gamma(random, r, alpha);
    const lifetimeDays = exponential(random, gamma(random, s, beta));
    const lastDay = Math.min(ageDays, lifetimeDays);
    let repeatPurchases = 0;
    let recencyDays = 0;
    for (
      let day = exponential(random, purchaseRate);
      day <= lastDay;
      day += exponential(random, purchaseRate)
    ) {
      repeatPurchases += 1;
      recencyDays = day;
    }
    return { repeatPurchases, recencyDays, ageDays };
  });
}
