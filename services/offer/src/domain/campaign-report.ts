import type { CampaignGroup } from "./campaign-targets.js";
import { type ContactFact, dayMs, factsOfKind, isPositiveResponse } from "./contact-facts.js";

/**
 * What a campaign did: whom it reached, who responded and what that earned against what it cost,
 * and, against the holdout that got nothing, how many more customers bought because of it.
 */

/** A difference of two rates (treatment minus holdout) with its 95 % confidence interval. */
export type RateLift = {
  treatmentRate: number;
  holdoutRate: number;
  difference: number;
  lower95: number;
  upper95: number;
  /** difference / holdoutRate; absent when the holdout rate is 0. */
  relative?: number;
};

const z95 = 1.959963984540054;

/**
 * The lift of a rate over the holdout's, with Newcombe's hybrid score interval (Newcombe 1998,
 * method 10): each rate's Wilson interval, combined. Unlike the textbook p ± z·se it stays inside
 * [-1, 1] and keeps its coverage for the small groups and rare events campaigns produce. An empty
 * group has rate 0 and knows nothing, so its interval is [0, 1].
 */
export function rateLift(
  treatmentSuccesses: number,
  treatmentTotal: number,
  holdoutSuccesses: number,
  holdoutTotal: number,
): RateLift {
  const treatment = wilsonInterval(treatmentSuccesses, treatmentTotal);
  const holdout = wilsonInterval(holdoutSuccesses, holdoutTotal);
  const difference = treatment.rate - holdout.rate;
  const lower = Math.hypot(treatment.rate - treatment.lower, holdout.upper - holdout.rate);
  const upper = Math.hypot(treatment.upper - treatment.rate, holdout.rate - holdout.lower);
  return {
    treatmentRate: treatment.rate,
    holdoutRate: holdout.rate,
    difference,
    lower95: Math.max(-1, difference - lower),
    upper95: Math.min(1, difference + upper),
    ...(holdout.rate > 0 ? { relative: difference / holdout.rate } : {}),
  };
}

function wilsonInterval(successes: number, total: number): { rate: number; lower: number; upper: number } {
  if (total <= 0) return { rate: 0, lower: 0, upper: 1 };
  const rate = successes / total;
  const zz = z95 * z95;
  const centre = (successes + zz / 2) / (total + zz);
  const halfWidth = (z95 * Math.sqrt((successes * (total - successes)) / total + zz / 4)) / (total + zz);
  return { rate, lower: Math.max(0, centre - halfWidth), upper: Math.min(1, centre + halfWidth) };
}

export type CampaignReportInput = {
  campaignId: string;
  /** RFC 3339: the measurement window starts here. */
  createdAt: string;
  /** Days after creation in which orders count as conversions. */
  measurementDays: number;
  /** What making the offer to one contacted customer costs, minor units. */
  offerCostMinor: number;
  targets: readonly { customerId: string; group: CampaignGroup }[];
  factsByCustomer: ReadonlyMap<string, readonly ContactFact[]>;
};

export type CampaignReport = {
  /** Treatment targets. */
  targeted: number;
  holdout: number;
  /** Treatment targets the offer reached: presented, called about it, or responding to it. */
  contacted: number;
  /** Treatment targets who responded at all; positive ones accepted or converted. Each counts once. */
  responded: number;
  positiveResponses: number;
  /** responded / contacted; 0 when nobody was contacted. */
  responseRate: number;
  /** Revenue of the converted responses to the campaign. */
  revenueMinor: number;
  /** Offer cost × contacted. */
  costMinor: number;
  /** (revenue − cost) / cost; absent when nothing cost anything. */
  roi?: number;
  /** Share of customers who ordered within the measurement window, treatment against holdout. */
  conversionLift: RateLift;
  /** Order amounts in the window per target of the group, rounded; 0 for an empty group. */
  treatmentRevenuePerTargetMinor: number;
  holdoutRevenuePerTargetMinor: number;
};

/**
 * The campaign's report from its frozen targets and their contact facts. Responses and revenue are
 * the campaign's own (facts naming it); conversions are any order in the measurement window, so the
 * holdout, which the campaign never touched, shows what would have happened anyway.
 */
export function campaignReportOf(input: CampaignReportInput): CampaignReport {
  const windowStart = Date.parse(input.createdAt);
  const windowEnd = windowStart + input.measurementDays * dayMs;
  const isInWindow = (time: string) => {
    const ms = Date.parse(time);
    return ms >= windowStart && ms < windowEnd;
  };
  const groups = { treatment: newGroupTally(), holdout: newGroupTally() };
  let contacted = 0;
  let responded = 0;
  let positiveResponses = 0;
  let revenueMinor = 0;

  for (const target of input.targets) {
    const facts = input.factsByCustomer.get(target.customerId) ?? [];
    const windowOrders = factsOfKind(facts, "order").filter((order) => isInWindow(order.time));
    const group = groups[target.group];
    group.targets += 1;
    if (windowOrders.length > 0) group.converted += 1;
    group.orderAmountMinor += sumOf(windowOrders.map((order) => order.amountMinor));
    if (target.group !== "treatment") continue;

    const responses = factsOfKind(facts, "response").filter(
      (response) => response.campaignId === input.campaignId,
    );
    const wasContacted =
      responses.length > 0 ||
      facts.some(
        (fact) =>
          (fact.kind === "presentation" || (fact.kind === "call" && fact.direction === "outbound")) &&
          fact.campaignId === input.campaignId,
      );
    if (wasContacted) contacted += 1;
    if (responses.length > 0) responded += 1;
    if (responses.some((response) => isPositiveResponse(response.response))) positiveResponses += 1;
    revenueMinor += sumOf(
      responses
        .filter((response) => response.response === "converted")
        .map((response) => response.revenueMinor),
    );
  }

  const costMinor = input.offerCostMinor * contacted;
  return {
    targeted: groups.treatment.targets,
    holdout: groups.holdout.targets,
    contacted,
    responded,
    positiveResponses,
    responseRate: contacted > 0 ? responded / contacted : 0,
    revenueMinor,
    costMinor,
    ...(costMinor !== 0 ? { roi: (revenueMinor - costMinor) / costMinor } : {}),
    conversionLift: rateLift(
      groups.treatment.converted,
      groups.treatment.targets,
      groups.holdout.converted,
      groups.holdout.targets,
    ),
    treatmentRevenuePerTargetMinor: perTarget(groups.treatment),
    holdoutRevenuePerTargetMinor: perTarget(groups.holdout),
  };
}

type GroupTally = { targets: number; converted: number; orderAmountMinor: number };

function newGroupTally(): GroupTally {
  return { targets: 0, converted: 0, orderAmountMinor: 0 };
}

function perTarget(group: GroupTally): number {
  return group.targets > 0 ? Math.round(group.orderAmountMinor / group.targets) : 0;
}

function sumOf(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
