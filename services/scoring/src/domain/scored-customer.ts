import type { CustomerFact } from "./customer-facts.js";
import { type CustomerHistory, combineHistories, emptyHistory } from "./customer-history.js";
import { type CustomerProfile, profileOf, type ScoringSettings } from "./customer-profile.js";
import type { PopulationModel } from "./population-model.js";

/** The attributes whose changes go out on crm.customer.changes, for offer and other readers to react. */
export const changedAttributes = [
  "tier",
  "segment_cell",
  "lifecycle_stage",
  "churn_risk_band",
  "rfm_segment",
] as const;
export type ChangedAttribute = (typeof changedAttributes)[number];

export type CustomerChange = {
  attribute: ChangedAttribute;
  /** Empty when the customer is new or the attribute had no value (no model yet). */
  previousValue: string;
  value: string;
  asOf: string;
  /** The event whose arrival caused the change, or the clock tick or model fit. */
  causeEventId: string;
};

/** What lists, reports and the population fit read of a customer without folding its history. */
export type CustomerSummary = {
  tier: CustomerProfile["tier"];
  lifecycleStage: CustomerProfile["lifecycle"]["stage"];
  rfmSegment?: string;
  rfmScores?: { recency: number; frequency: number; monetary: number };
  /** Empty before the first population model. */
  segmentCell: string;
  responsePolicy: string;
  isRegistered: boolean;
  revenueMinor: number;
  historicValueMinor: number;
  predictedValueMinor?: number;
  churnRisk?: number;
  churnRiskBand?: string;
  lastOrderAt?: string;
  marginMinor: number;
  /** Categories bought, most first (at most five): what cross-sell offers read. */
  topCategories: string[];
  latestNpsClass?: string;
  openComplaints: number;
};

/** A customer as scoring stores it: the history, the latest scoring and every change it made. */
export type ScoredCustomer = {
  customerId: string;
  mergedCustomerIds: string[];
  history: CustomerHistory;
  /** The scoring time: the latest of its facts' times and the clock ticks it was rescored at. */
  asOf: string;
  modelId?: string;
  summary: CustomerSummary;
  changes: CustomerChange[];
};

/** What can happen to a stored customer. */
export type CustomerUpdate =
  /** `clock`: the shared scoring time, when there is one; the customer is scored at least as of it. */
  | { kind: "facts"; facts: readonly CustomerFact[]; clock?: number }
  | { kind: "absorb"; merged: readonly ScoredCustomer[]; causeEventId: string }
  | { kind: "rescore"; asOf: number; causeEventId: string };

/**
 * The customer after an update, scored again, with the changes of its attributes appended. Pure:
 * the same customer, update, model and settings always give the same result. Facts already in the
 * history change nothing (a redelivery); the scoring time never moves back.
 */
/** A customer scoring has seen nothing of (a merged customer whose events it never saw). */
export function emptyCustomer(customerId: string, settings: ScoringSettings): ScoredCustomer {
  const customer = { customerId, mergedCustomerIds: [], history: emptyHistory() };
  return {
    ...customer,
    asOf: new Date(0).toISOString(),
    summary: summaryOf(profileOf(customer, 0, undefined, settings)),
    changes: [],
  };
}

export function updateCustomer(
  customerId: string,
  current: ScoredCustomer | undefined,
  update: CustomerUpdate,
  model: PopulationModel | undefined,
  settings: ScoringSettings,
): ScoredCustomer {
  const base = current ?? emptyCustomer(customerId, settings);
  let history = base.history;
  let mergedCustomerIds = base.mergedCustomerIds;
  let asOf = Date.parse(base.asOf);
  let cause: string;
  switch (update.kind) {
    case "facts": {
      const known = new Set(history.facts.map((fact) => fact.eventId));
      const added = update.facts.filter((fact) => !known.has(fact.eventId));
      if (current && added.length === 0) return current;
      history = combineHistories(history, { facts: added });
      asOf = Math.max(asOf, update.clock ?? asOf, ...update.facts.map((fact) => Date.parse(fact.time)));
      cause = (added.at(-1) ?? (update.facts.at(-1) as CustomerFact)).eventId;
      break;
    }
    case "absorb": {
      const absorbed = update.merged.filter((merged) => !mergedCustomerIds.includes(merged.customerId));
      if (current && absorbed.length === 0) return current;
      history = absorbed.reduce((combined, merged) => combineHistories(combined, merged.history), history);
      mergedCustomerIds = [
        ...mergedCustomerIds,
        ...absorbed.flatMap((merged) => [merged.customerId, ...merged.mergedCustomerIds]),
      ];
      asOf = Math.max(asOf, ...absorbed.map((merged) => Date.parse(merged.asOf)));
      cause = update.causeEventId;
      break;
    }
    case "rescore":
      if (current && update.asOf <= asOf && current.modelId === model?.modelId) return current;
      asOf = Math.max(asOf, update.asOf);
      cause = update.causeEventId;
      break;
    default: {
      const unhandled: never = update;
      return unhandled;
    }
  }
  const profile = profileOf({ customerId, mergedCustomerIds, history }, asOf, model, settings);
  const summary = summaryOf(profile);
  const asOfText = new Date(asOf).toISOString();
  return {
    customerId,
    mergedCustomerIds,
    history,
    asOf: asOfText,
    ...(model ? { modelId: model.modelId } : {}),
    summary,
    changes: [...base.changes, ...changesBetween(current?.summary, summary, asOfText, cause)],
  };
}

export function summaryOf(profile: CustomerProfile): CustomerSummary {
  return {
    tier: profile.tier,
    lifecycleStage: profile.lifecycle.stage,
    ...(profile.rfm ? { rfmSegment: profile.rfm.segment, rfmScores: profile.rfm.scores } : {}),
    segmentCell: profile.segment?.cellKey ?? "",
    responsePolicy: profile.segment?.policy ?? "",
    isRegistered: profile.tier !== "all",
    revenueMinor: profile.orders.revenueMinor,
    historicValueMinor: profile.historicValueMinor,
    ...(profile.predicted
      ? {
          predictedValueMinor: profile.predicted.predictedValueMinor,
          churnRisk: profile.predicted.churnRisk,
          churnRiskBand: profile.predicted.churnRiskBand,
        }
      : {}),
    ...(profile.orders.lastOrderAt ? { lastOrderAt: profile.orders.lastOrderAt } : {}),
    marginMinor: profile.orders.marginMinor,
    topCategories: profile.orders.categories.slice(0, 5).map((affinity) => affinity.category),
    ...(profile.surveys.latestNpsClass ? { latestNpsClass: profile.surveys.latestNpsClass } : {}),
    openComplaints: profile.service.openComplaints,
  };
}

function changesBetween(
  before: CustomerSummary | undefined,
  after: CustomerSummary,
  asOf: string,
  causeEventId: string,
): CustomerChange[] {
  return changedAttributes.flatMap((attribute) => {
    const previousValue = before ? attributeOf(before, attribute) : "";
    const value = attributeOf(after, attribute);
    return previousValue === value ? [] : [{ attribute, previousValue, value, asOf, causeEventId }];
  });
}

function attributeOf(summary: CustomerSummary, attribute: ChangedAttribute): string {
  switch (attribute) {
    case "tier":
      return summary.tier;
    case "segment_cell":
      return summary.segmentCell;
    case "lifecycle_stage":
      return summary.lifecycleStage;
    case "churn_risk_band":
      return summary.churnRiskBand ?? "";
    case "rfm_segment":
      return summary.rfmSegment ?? "";
    default: {
      const unhandled: never = attribute;
      return unhandled;
    }
  }
}
