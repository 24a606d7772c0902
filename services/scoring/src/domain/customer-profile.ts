import { type CustomerHistory, factsOfKind, historyAsOf } from "./customer-history.js";
import { signalsOf } from "./customer-signals.js";
import type { PopulationModel } from "./population-model.js";
import { type ChannelConsent, consentsOf } from "./projections/consents.js";
import { type ContactHistory, summariseContacts } from "./projections/contact-history.js";
import {
  type OrderSettings,
  type OrderSummary,
  purchasesOf,
  summariseOrders,
} from "./projections/order-summary.js";
import { type ServiceSummary, summariseService } from "./projections/service-summary.js";
import { type SurveySentiment, summariseSurveys } from "./projections/survey-sentiment.js";
import { summariseWeb, type WebEngagement } from "./projections/web-engagement.js";
import { type HistoricValueSettings, historicValueOf } from "./scores/historic-value.js";
import { type LifecycleSettings, type LifecycleTransition, lifecycleHistory } from "./scores/lifecycle.js";
import { type PredictedValue, type PredictiveSettings, predictValue } from "./scores/predicted-value.js";
import { type RfmInputs, type RfmScores, type RfmSegment, rfmScoresOf, rfmSegmentOf } from "./scores/rfm.js";
import {
  cellKeyOf,
  type ResponsePolicy,
  responsePolicyOf,
  type SegmentCell,
  segmentCellOf,
} from "./scores/segment-grid.js";
import { type Tier, type TierSettings, tierOf } from "./scores/tier.js";

export type ScoringSettings = {
  orders: OrderSettings;
  historicValue: HistoricValueSettings;
  lifecycle: LifecycleSettings;
  tier: TierSettings;
  predictive: PredictiveSettings;
};

/** The customer 360 as of one instant: every projection of the history and the scores on them. */
export type CustomerProfile = {
  customerId: string;
  asOf: string;
  firstSeenAt: string;
  mergedCustomerIds: string[];
  currency: string;
  tier: Tier;
  lifecycle: { stage: LifecycleTransition["stage"]; history: LifecycleTransition[] };
  rfm?: RfmInputs & { scores: RfmScores; segment: RfmSegment };
  historicValueMinor: number;
  predicted?: PredictedValue;
  /** The grid compares with the population: absent before the first population model. */
  segment?: { cell: SegmentCell; cellKey: string; policy: ResponsePolicy };
  orders: OrderSummary;
  service: ServiceSummary;
  web: WebEngagement;
  surveys: SurveySentiment;
  consents: ChannelConsent[];
  contacts: ContactHistory;
  modelId?: string;
};

/**
 * The customer as of `asOf` (epoch ms), from the facts that had happened by then and the population
 * model in force then (none before the first fit: RFM, the grid thresholds and the predictions
 * need the population).
 */
export function profileOf(
  customer: { customerId: string; mergedCustomerIds: readonly string[]; history: CustomerHistory },
  asOf: number,
  model: PopulationModel | undefined,
  settings: ScoringSettings,
): CustomerProfile {
  const history = historyAsOf(customer.history, asOf);
  const purchases = purchasesOf(history, settings.orders);
  const signals = signalsOf(history, purchases, asOf);
  const lifecycle = lifecycleHistory(
    history.facts[0]?.time ?? new Date(asOf).toISOString(),
    purchases,
    asOf,
    settings.lifecycle,
  );
  const cell = model ? segmentCellOf(signals.grid, model.grid) : undefined;
  const scores = signals.rfm && model ? rfmScoresOf(signals.rfm, model.rfmBreakpoints) : undefined;
  const predicted =
    signals.purchasePattern && model?.purchases
      ? predictValue(model.purchases, signals.purchasePattern, settings.predictive)
      : undefined;
  return {
    customerId: customer.customerId,
    asOf: new Date(asOf).toISOString(),
    firstSeenAt: history.facts[0]?.time ?? new Date(asOf).toISOString(),
    mergedCustomerIds: [...customer.mergedCustomerIds],
    currency: settings.orders.currency,
    tier: tierOf(factsOfKind(history, "registration").length > 0, purchases, asOf, settings.tier),
    lifecycle: { stage: (lifecycle.at(-1) as LifecycleTransition).stage, history: lifecycle },
    ...(signals.rfm && scores ? { rfm: { ...signals.rfm, scores, segment: rfmSegmentOf(scores) } } : {}),
    historicValueMinor: historicValueOf(purchases, settings.historicValue).valueMinor,
    ...(predicted ? { predicted } : {}),
    ...(cell ? { segment: { cell, cellKey: cellKeyOf(cell), policy: responsePolicyOf(cell) } } : {}),
    orders: summariseOrders(history, settings.orders),
    service: summariseService(history),
    web: summariseWeb(history),
    surveys: summariseSurveys(history),
    consents: consentsOf(history),
    contacts: summariseContacts(history, asOf),
    ...(model ? { modelId: model.modelId } : {}),
  };
}
