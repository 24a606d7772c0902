import { seededRandom } from "@rapport/sampling";
import type { CustomerPurchases } from "../src/domain/backtest.js";
import { dayMs } from "../src/domain/customer-facts.js";
import type { BgNbdParameters, GammaGammaParameters } from "../src/domain/lifetime-value/index.js";
import { beta, exponential, gamma } from "./lifetime-value/simulate-customers.js";

export type PurchaseLogSimulation = {
  customers: number;
  seed: number;
  /** Rates per day. */
  bgNbd: BgNbdParameters;
  /** Spend in minor units. */
  gammaGamma: GammaGammaParameters;
  /** First purchases fall uniformly in [cohortStart, cohortStart + cohortDays), epoch ms. */
  cohortStart: number;
  cohortDays: number;
  /** Repeat purchases are drawn up to this instant, epoch ms. */
  until: number;
};

/**
 * Dated purchases of customers drawn from BG/NBD and Gamma-Gamma, as a shop's order log would
 * hold them: each customer first buys at a uniform instant of the cohort window, then buys as a
 * Poisson process of rate λ ~ Gamma(r, α) per day and drops out after each repeat purchase with
 * probability p ~ Beta(a, b). Every purchase, the first included, is worth Gamma(p, ν) with
 * ν ~ Gamma(q, v) per customer, rounded to a minor unit.
 */
export function simulatePurchaseLog(simulation: PurchaseLogSimulation): CustomerPurchases[] {
  const { customers, seed, bgNbd, gammaGamma, cohortStart, cohortDays, until } = simulation;
  const random = seededRandom(seed);
  return Array.from({ length: customers }, (_, index) => {
    const purchaseRate = gamma(random, bgNbd.r, bgNbd.alpha);
    const dropOut = beta(random, bgNbd.a, bgNbd.b);
    const spendRate = gamma(random, gammaGamma.q, gammaGamma.v);
    const spend = () => Math.round(gamma(random, gammaGamma.p, spendRate));
    const first = cohortStart + random() * cohortDays * dayMs;
    const purchases = [{ at: first, netRevenueMinor: spend() }];
    for (
      let at = first + exponential(random, purchaseRate) * dayMs;
      at <= until;
      at += exponential(random, purchaseRate) * dayMs
    ) {
      purchases.push({ at, netRevenueMinor: spend() });
      if (random() < dropOut) break;
    }
    return { customerId: `customer-${index}`, purchases };
  });
}
