import type { PurchaseHistory } from "./bg-nbd.js";
import { expectedAverageSpend, type GammaGammaParameters, type SpendHistory } from "./gamma-gamma.js";
import type { PurchaseOutlook } from "./purchase-count-model.js";

/** Everything both models need to know about one customer, time in days. */
export type PurchaseAndSpendHistory = PurchaseHistory & SpendHistory;

export type LifetimeValueOptions = {
  /** How far ahead to count purchases, in days. */
  horizonDays: number;
  /** Yearly discount rate, e.g. 0.1 for 10 %; applied monthly (see predictiveLifetimeValue). */
  annualDiscountRate: number;
  /** Share of spend kept as margin; 1 (the default) values revenue. */
  marginRate?: number;
};

export type LifetimeValuePrediction = {
  /** Expected purchases within the horizon, undiscounted. */
  predictedPurchases: number;
  /** Expected value of each of those purchases (Gamma-Gamma). */
  expectedAverageSpend: number;
  /** Discounted expected margin over the horizon. */
  lifetimeValue: number;
  /** P(alive) at the end of observation (the purchase-count model). */
  probabilityAlive: number;
  /** 1 − P(alive). */
  churnRisk: number;
};

/** An average month: 365.25 / 12 days. */
const daysPerMonth = 365.25 / 12;

/**
 * A customer's discounted expected value over the horizon, month by month:
 *
 *   CLV = margin · E[spend] · Σₖ₌₁..K (E[N(tₖ)] − E[N(tₖ₋₁)]) / (1 + d)ᵏ
 *
 * where E[N(t)] is the purchase-count model's expected purchases in the next t days (for BG/NBD
 * FHL 2005 eq. 10), E[spend] is
 * Gamma-Gamma's expected spend per purchase, tₖ = min(k · daysPerMonth, horizon) (t₀ = 0,
 * K = ⌈horizon / daysPerMonth⌉, so the last month may be partial), and d = (1 + annual rate)^(1/12) − 1
 * is the monthly rate equivalent to the annual one. A month's purchases are discounted as if
 * they all happened at its end. Spend is taken as independent of how often one buys, as the
 * Gamma-Gamma model assumes.
 */
export function predictiveLifetimeValue(
  outlook: PurchaseOutlook,
  gammaGamma: GammaGammaParameters,
  customer: PurchaseAndSpendHistory,
  options: LifetimeValueOptions,
): LifetimeValuePrediction {
  const { horizonDays, annualDiscountRate, marginRate = 1 } = options;
  const monthlyDiscountFactor = (1 + annualDiscountRate) ** (1 / 12);
  const months = Math.ceil(horizonDays / daysPerMonth);
  let discountedPurchases = 0;
  let purchasesSoFar = 0;
  for (let month = 1; month <= months; month += 1) {
    const purchasesByMonthEnd = outlook.expectedPurchases(Math.min(month * daysPerMonth, horizonDays));
    discountedPurchases += (purchasesByMonthEnd - purchasesSoFar) / monthlyDiscountFactor ** month;
    purchasesSoFar = purchasesByMonthEnd;
  }
  const spend = expectedAverageSpend(gammaGamma, customer);
  const alive = outlook.probabilityAlive;
  return {
    predictedPurchases: purchasesSoFar,
    expectedAverageSpend: spend,
    lifetimeValue: marginRate * spend * discountedPurchases,
    probabilityAlive: alive,
    churnRisk: 1 - alive,
  };
}
