import type { CustomerFact } from "./customer-facts.js";
import { type CustomerProfile, profileFrom, type ScoringSettings } from "./customer-profile.js";
import {
  type AppliedMark,
  appliedUpTo,
  combineMarks,
  compareLogPositions,
  type LogPosition,
  withApplied,
} from "./log-position.js";
import type { PopulationModel } from "./population-model.js";
import {
  combineProfileStates,
  emptyProfileState,
  evolveProfileState,
  type ProfileState,
} from "./profile-state.js";

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
  /** The scores the segment follows from: recency within its recency band (recency-band.ts). */
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

/** A change as the customer keeps it until it is known to be published: with the record that caused it. */
export type RecordedChange = CustomerChange & { causedAt: LogPosition };

/**
 * A customer as scoring keeps it: the profile state of its facts, the latest scoring, which records
 * of the log it has taken in, and the changes it made that may not be published yet.
 */
export type ScoredCustomer = {
  customerId: string;
  mergedCustomerIds: string[];
  state: ProfileState;
  /** The scoring time: the latest of its facts' times and the clock ticks it was rescored at. */
  asOf: string;
  modelId?: string;
  summary: CustomerSummary;
  /** The records taken in, per customer id named and stream (log-position.ts). */
  applied: AppliedMark[];
  /**
   * The changes made by records whose part may not be committed yet, so that a part handled again
   * publishes them again (forgetPublishedChanges drops the rest).
   */
  changes: RecordedChange[];
};

/** A fact as read from the log: the customer id its record named and where the record sits. */
export type LoggedFact = { customerId: string; fact: CustomerFact; position: LogPosition };

/** The record a change is announced as caused by: an event, a merge, a clock tick or model fit. */
export type ChangeCause = { eventId: string; position: LogPosition };

/** What can happen to a customer. */
export type CustomerUpdate =
  /** `clock`: the shared scoring time, when there is one; the customer is scored at least as of it. */
  | { kind: "facts"; facts: readonly LoggedFact[]; clock?: number }
  | { kind: "absorb"; merged: readonly ScoredCustomer[]; cause: ChangeCause }
  | { kind: "rescore"; asOf: number; cause: ChangeCause };

/** A customer scoring has seen nothing of (a merged customer whose events it never saw). */
export function emptyCustomer(customerId: string, settings: ScoringSettings): ScoredCustomer {
  const customer = { customerId, mergedCustomerIds: [], state: emptyProfileState() };
  return {
    ...customer,
    asOf: new Date(0).toISOString(),
    summary: summaryOf(profileFrom(customer, 0, undefined, settings)),
    applied: [],
    changes: [],
  };
}

/**
 * The customer after an update, scored again from its profile state, with the changes of its
 * attributes recorded. Pure: the same customer, update, model and settings always give the same
 * result, and the very same customer object when the update changes nothing: facts whose records it
 * has taken in already (a redelivery), merged customers it has absorbed, a rescoring as of a time it
 * is scored at with the same model. The scoring time never moves back.
 */
export function updateCustomer(
  customerId: string,
  current: ScoredCustomer | undefined,
  update: CustomerUpdate,
  model: PopulationModel | undefined,
  settings: ScoringSettings,
): ScoredCustomer {
  const base = current ?? emptyCustomer(customerId, settings);
  let { state, mergedCustomerIds, applied } = base;
  let asOf = Date.parse(base.asOf);
  let cause: ChangeCause;
  switch (update.kind) {
    case "facts": {
      const inLogOrder = [...update.facts].sort((a, b) => compareLogPositions(a.position, b.position));
      let last: LoggedFact | undefined;
      for (const logged of inLogOrder) {
        if (logged.position.offset <= appliedUpTo(applied, logged.customerId, logged.position.stream))
          continue;
        state = evolveProfileState(state, logged.fact);
        applied = withApplied(applied, logged.customerId, logged.position);
        asOf = Math.max(asOf, Date.parse(logged.fact.time));
        last = logged;
      }
      if (!last) {
        if (current) return current;
        last = inLogOrder.at(-1) as LoggedFact;
      }
      asOf = Math.max(asOf, update.clock ?? asOf);
      cause = { eventId: last.fact.eventId, position: last.position };
      break;
    }
    case "absorb": {
      const absorbed = update.merged.filter(
        (merged) => merged.customerId !== customerId && !mergedCustomerIds.includes(merged.customerId),
      );
      if (current && absorbed.length === 0) return current;
      for (const merged of absorbed) {
        state = combineProfileStates(state, merged.state);
        applied = combineMarks(applied, merged.applied);
        asOf = Math.max(asOf, Date.parse(merged.asOf));
      }
      mergedCustomerIds = [
        ...mergedCustomerIds,
        ...absorbed.flatMap((merged) => [merged.customerId, ...merged.mergedCustomerIds]),
      ];
      cause = update.cause;
      break;
    }
    case "rescore":
      if (current && update.asOf <= asOf && current.modelId === model?.modelId) return current;
      asOf = Math.max(asOf, update.asOf);
      cause = update.cause;
      break;
    default: {
      const unhandled: never = update;
      return unhandled;
    }
  }
  const profile = profileFrom({ customerId, mergedCustomerIds, state }, asOf, model, settings);
  const summary = summaryOf(profile);
  const asOfText = new Date(asOf).toISOString();
  return {
    customerId,
    mergedCustomerIds,
    state,
    asOf: asOfText,
    ...(model ? { modelId: model.modelId } : {}),
    summary,
    applied,
    changes: [
      ...base.changes,
      ...changesBetween(current?.summary, summary, asOfText, cause.eventId).map((change) => ({
        ...change,
        causedAt: cause.position,
      })),
    ],
  };
}

/**
 * The customer without the changes whose records are committed (`isCommitted`): they were published
 * with them, and a part handled again can only hold records after them.
 */
export function forgetPublishedChanges(
  customer: ScoredCustomer,
  isCommitted: (position: LogPosition) => boolean,
): ScoredCustomer {
  const kept = customer.changes.filter((change) => !isCommitted(change.causedAt));
  return kept.length === customer.changes.length ? customer : { ...customer, changes: kept };
}

/** The changes caused by records of `stream` from offset `from` to `to`: what a part of the log publishes. */
export function changesCausedWithin(
  customer: ScoredCustomer,
  stream: string,
  from: number,
  to: number,
): RecordedChange[] {
  return customer.changes.filter(
    ({ causedAt }) => causedAt.stream === stream && causedAt.offset >= from && causedAt.offset <= to,
  );
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
