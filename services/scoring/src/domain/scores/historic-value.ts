import { dayMs } from "../customer-facts.js";
import { type Purchase, purchaseInstant } from "../projections/order-summary.js";

export type HistoricValueSettings = {
  /** Length of one period S_t, counted from the first purchase. */
  periodDays: number;
  /** Discount rate r per period. */
  ratePerPeriod: number;
};

export type PeriodValue = { period: number; marginMinor: number };

export type HistoricValue = { valueMinor: number; periods: PeriodValue[] };

/**
 * Lifetime value so far, discounted to the first period (seed 001): LTV = S1 + S2/(1+r) +
 * S3/(1+r)^2 + ..., with S_t the net margin of the purchases in period t. Periods without a
 * purchase contribute nothing but still count in the exponent.
 */
export function historicValueOf(
  purchases: readonly Purchase[],
  settings: HistoricValueSettings,
): HistoricValue {
  const first = purchases[0];
  if (!first) return { valueMinor: 0, periods: [] };
  const start = purchaseInstant(first);
  const byPeriod = new Map<number, number>();
  for (const purchase of purchases) {
    const period = Math.floor((purchaseInstant(purchase) - start) / (settings.periodDays * dayMs)) + 1;
    byPeriod.set(period, (byPeriod.get(period) ?? 0) + purchase.netMarginMinor);
  }
  const periods = [...byPeriod.entries()]
    .map(([period, marginMinor]) => ({ period, marginMinor }))
    .sort((a, b) => a.period - b.period);
  const value = periods.reduce(
    (total, { period, marginMinor }) => total + marginMinor / (1 + settings.ratePerPeriod) ** (period - 1),
    0,
  );
  return { valueMinor: Math.round(value), periods };
}
