import { dayMs } from "./customer-facts.js";
import { type CustomerHistory, factsOfKind } from "./customer-history.js";
import { isReached } from "./projections/contact-history.js";
import { type Purchase, purchaseInstant } from "./projections/order-summary.js";
import type { RfmInputs } from "./scores/rfm.js";
import type { GridInputs } from "./scores/segment-grid.js";

/**
 * What the population models read of one customer as of a time: RFM's three numbers, the grid's
 * inputs, and the purchase pattern BG/NBD and Gamma-Gamma fit on (Fader, Hardie & Lee count
 * repeat purchases on distinct days, measured from the first purchase).
 */
export type CustomerSignals = {
  rfm?: RfmInputs;
  grid: GridInputs;
  purchasePattern?: PurchasePattern;
};

export type PurchasePattern = {
  /** Distinct purchase days after the first one. */
  repeatPurchases: number;
  /** Days from the first to the last purchase day. */
  recencyDays: number;
  /** Days from the first purchase to the scoring time. */
  ageDays: number;
  /** Mean net revenue of the repeat purchase days in minor units; 0 without repeats. */
  meanRepeatSpend: number;
};

export function signalsOf(
  history: CustomerHistory,
  purchases: readonly Purchase[],
  asOf: number,
): CustomerSignals {
  const responses = factsOfKind(history, "offer_response");
  const outbound = factsOfKind(history, "call").filter((call) => call.direction === "outbound");
  const surveys = factsOfKind(history, "survey");
  return signalsFrom(
    purchases,
    {
      positive:
        responses.filter((response) => response.response === "accepted" || response.response === "converted")
          .length +
        outbound.filter((call) => isReached(call.outcome)).length +
        surveys.length,
      all: responses.length + outbound.length + surveys.length,
    },
    asOf,
  );
}

/**
 * Signals of the purchases (in time order) and the response signals: positive ones (accepted or
 * converted offers, outbound calls that reached the customer, surveys answered) and all of them.
 */
export function signalsFrom(
  purchases: readonly Purchase[],
  responses: { positive: number; all: number },
  asOf: number,
): CustomerSignals {
  const yearAgo = asOf - 365 * dayMs;
  const lastYear = purchases.filter((purchase) => purchaseInstant(purchase) > yearAgo);
  const grid: GridInputs = {
    revenueLastYearMinor: lastYear.reduce((total, purchase) => total + purchase.netRevenueMinor, 0),
    ordersLastYear: lastYear.length,
    positiveResponses: responses.positive,
    responseSignals: responses.all,
  };
  const last = purchases.at(-1);
  if (!last) return { grid };
  return {
    grid,
    rfm: {
      recencyDays: (asOf - purchaseInstant(last)) / dayMs,
      frequency: purchases.length,
      monetaryMinor: purchases.reduce((total, purchase) => total + purchase.netRevenueMinor, 0),
    },
    purchasePattern: purchasePatternOf(
      purchases.map((purchase) => ({
        at: purchaseInstant(purchase),
        netRevenueMinor: purchase.netRevenueMinor,
      })),
      asOf,
    ),
  };
}

/** A purchase as the purchase pattern reads it: its instant (epoch ms) and net revenue (minor units). */
export type DatedPurchase = { at: number; netRevenueMinor: number };

/** The pattern of purchases (at least one, in any order) as of a time after them. */
export function purchasePatternOf(purchases: readonly DatedPurchase[], asOf: number): PurchasePattern {
  const spendByDay = new Map<number, number>();
  for (const { at, netRevenueMinor } of purchases) {
    const day = Math.floor(at / dayMs);
    spendByDay.set(day, (spendByDay.get(day) ?? 0) + netRevenueMinor);
  }
  const days = [...spendByDay.keys()].sort((a, b) => a - b);
  const firstDay = days[0] as number;
  const repeatSpend = days.slice(1).map((day) => spendByDay.get(day) as number);
  return {
    repeatPurchases: repeatSpend.length,
    recencyDays: (days.at(-1) as number) - firstDay,
    ageDays: Math.max(asOf / dayMs - firstDay, (days.at(-1) as number) - firstDay),
    meanRepeatSpend:
      repeatSpend.length > 0
        ? repeatSpend.reduce((total, spend) => total + spend, 0) / repeatSpend.length
        : 0,
  };
}
