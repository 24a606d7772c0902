export type Level = "high" | "low";

/** A cell of seed 001's target grid: purchasing power × loyalty × response propensity. */
export type SegmentCell = { purchasingPower: Level; loyalty: Level; responsePropensity: Level };

/**
 * How the company answers a cell (seed 001): customers with high purchasing power, high loyalty and
 * a good response get top priority and the best terms; those good at responding with either high
 * purchasing power or high loyalty get a response with appropriate terms; the rest are not
 * targeted proactively.
 */
export type ResponsePolicy = "top_priority_best_terms" | "respond_with_appropriate_terms" | "not_targeted";

/** Population thresholds, fitted and recorded with the model: medians among buying customers. */
export type GridThresholds = {
  /** Net revenue over the last 365 days at or above which purchasing power is high. */
  purchasingPowerMinor: number;
  /** Orders over the last 365 days at or above which loyalty is high (never below 2: one order is not loyalty). */
  loyaltyOrders: number;
};

/** What the grid reads of one customer. */
export type GridInputs = {
  revenueLastYearMinor: number;
  ordersLastYear: number;
  /** Signals of response: positive ones (accepted or converted offers, outbound calls that reached, surveys answered) and all. */
  positiveResponses: number;
  responseSignals: number;
};

export function segmentCellOf(inputs: GridInputs, thresholds: GridThresholds): SegmentCell {
  return {
    purchasingPower:
      inputs.revenueLastYearMinor > 0 && inputs.revenueLastYearMinor >= thresholds.purchasingPowerMinor
        ? "high"
        : "low",
    loyalty: inputs.ordersLastYear >= Math.max(2, thresholds.loyaltyOrders) ? "high" : "low",
    responsePropensity: responsePropensityOf(inputs) > 0.5 ? "high" : "low",
  };
}

/**
 * The share of positive responses with one imagined positive and one negative (Laplace's rule), so
 * a customer never contacted sits at exactly 0.5 (low) and one positive answer makes it high.
 */
export function responsePropensityOf(
  inputs: Pick<GridInputs, "positiveResponses" | "responseSignals">,
): number {
  return (inputs.positiveResponses + 1) / (inputs.responseSignals + 2);
}

export function responsePolicyOf(cell: SegmentCell): ResponsePolicy {
  if (cell.responsePropensity === "low") return "not_targeted";
  if (cell.purchasingPower === "high" && cell.loyalty === "high") return "top_priority_best_terms";
  if (cell.purchasingPower === "high" || cell.loyalty === "high") return "respond_with_appropriate_terms";
  return "not_targeted";
}

/** The cell a key names; the reverse of cellKeyOf. */
export function cellOfKey(key: string): SegmentCell {
  const [purchasingPower, loyalty, responsePropensity] = key
    .split("_")
    .map((level) => (level === "high" ? "high" : "low"));
  return {
    purchasingPower: purchasingPower ?? "low",
    loyalty: loyalty ?? "low",
    responsePropensity: responsePropensity ?? "low",
  };
}

/** "high_low_high": purchasing power, loyalty, response propensity. */
export function cellKeyOf(cell: SegmentCell): string {
  return `${cell.purchasingPower}_${cell.loyalty}_${cell.responsePropensity}`;
}
