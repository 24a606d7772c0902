import { compareText } from "./customer-facts.js";
import type { CustomerSummary } from "./scored-customer.js";

export type ListedCustomer = { customerId: string; summary: CustomerSummary };

/** Which customers a list wants; every filter that is set must hold, a list matches any of its values. */
export type CustomerFilter = {
  tiers: string[];
  lifecycleStages: string[];
  rfmSegments: string[];
  segmentCells: string[];
  predictedValueMinor: { min?: number; max?: number };
  churnRisk: { min?: number; max?: number };
  minRfmScores: { recency?: number; frequency?: number; monetary?: number };
};

export type CustomerSort =
  | "predicted_value"
  | "historic_value"
  | "churn_risk"
  | "recency"
  | "revenue"
  | "retention_priority";

export function matchesFilter(summary: CustomerSummary, filter: CustomerFilter): boolean {
  const within = (value: number | undefined, range: { min?: number; max?: number }) =>
    (range.min === undefined && range.max === undefined) ||
    (value !== undefined &&
      (range.min === undefined || value >= range.min) &&
      (range.max === undefined || value <= range.max));
  const oneOf = (value: string | undefined, allowed: string[]) =>
    allowed.length === 0 || (value !== undefined && allowed.includes(value));
  const atLeast = (score: number | undefined, minimum: number | undefined) =>
    minimum === undefined || (score !== undefined && score >= minimum);
  return (
    oneOf(summary.tier, filter.tiers) &&
    oneOf(summary.lifecycleStage, filter.lifecycleStages) &&
    oneOf(summary.rfmSegment, filter.rfmSegments) &&
    oneOf(summary.segmentCell, filter.segmentCells) &&
    within(summary.predictedValueMinor, filter.predictedValueMinor) &&
    within(summary.churnRisk, filter.churnRisk) &&
    atLeast(summary.rfmScores?.recency, filter.minRfmScores.recency) &&
    atLeast(summary.rfmScores?.frequency, filter.minRfmScores.frequency) &&
    atLeast(summary.rfmScores?.monetary, filter.minRfmScores.monetary)
  );
}

/**
 * Sorts descending by the key (ascending when asked), customers without a value last, ties by id so
 * pages never overlap. Retention priority is predicted value × churn risk: who is worth a call first.
 */
export function sortCustomers(
  customers: ListedCustomer[],
  sort: CustomerSort,
  ascending: boolean,
): ListedCustomer[] {
  const keyOf = (summary: CustomerSummary): number | undefined => {
    switch (sort) {
      case "predicted_value":
        return summary.predictedValueMinor;
      case "historic_value":
        return summary.historicValueMinor;
      case "churn_risk":
        return summary.churnRisk;
      case "recency":
        return summary.lastOrderAt === undefined ? undefined : Date.parse(summary.lastOrderAt);
      case "revenue":
        return summary.revenueMinor;
      case "retention_priority":
        return summary.predictedValueMinor === undefined || summary.churnRisk === undefined
          ? undefined
          : summary.predictedValueMinor * summary.churnRisk;
      default: {
        const unhandled: never = sort;
        return unhandled;
      }
    }
  };
  return [...customers].sort((a, b) => {
    const [x, y] = [keyOf(a.summary), keyOf(b.summary)];
    if (x === undefined || y === undefined) {
      if (x !== y) return x === undefined ? 1 : -1;
    } else if (x !== y) return ascending ? x - y : y - x;
    return compareText(a.customerId, b.customerId);
  });
}
