import { type CustomerHistory, factsOfKind, historyAsOf } from "./customer-history.js";
import { type DatedPurchase, signalsFrom, signalsOf } from "./customer-signals.js";
import type { PopulationModel } from "./population-model.js";
import type { ProfileState } from "./profile-state.js";
import { consentsOfStandings } from "./projections/consent-standing.js";
import { type ChannelConsent, consentsOf } from "./projections/consents.js";
import { type ContactHistory, summariseContacts } from "./projections/contact-history.js";
import { responseSignalsOfTally, summariseContactTally } from "./projections/contact-tally.js";
import { derivedOnce } from "./projections/derived-once.js";
import { orderSummaryInputsOfLedger } from "./projections/order-ledger.js";
import {
  type OrderSummary,
  orderSummaryOf,
  type Purchase,
  purchaseInstant,
  purchasesOf,
  summariseOrders,
} from "./projections/order-summary.js";
import type { OrderSettings } from "./projections/order-valuation.js";
import { type ServiceSummary, summariseService } from "./projections/service-summary.js";
import { summariseServiceTally } from "./projections/service-tally.js";
import { type SurveySentiment, summariseSurveys } from "./projections/survey-sentiment.js";
import { summariseSurveyTally } from "./projections/survey-tally.js";
import { summariseWeb, type WebEngagement } from "./projections/web-engagement.js";
import { summariseWebVisits } from "./projections/web-visits.js";
import { type HistoricValueSettings, historicValueOf } from "./scores/historic-value.js";
import { type LifecycleSettings, type LifecycleTransition, lifecycleHistory } from "./scores/lifecycle.js";
import { type PredictedValue, type PredictiveSettings, predictValue } from "./scores/predicted-value.js";
import { churnRiskBandWithin, recencyBandOf } from "./scores/recency-band.js";
import { type Rfm, rfmOf } from "./scores/rfm.js";
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
  rfm?: Rfm;
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

/** What the scores and projections of a profile are computed from, however the facts were gathered. */
type ProfileBasis = {
  firstSeenAt: string | undefined;
  isRegistered: boolean;
  /** In time order. */
  purchases: Purchase[];
  historicValueMinor: number;
  responses: { positive: number; all: number };
  orders: OrderSummary;
  service: ServiceSummary;
  web: WebEngagement;
  surveys: SurveySentiment;
  consents: ChannelConsent[];
  contacts: ContactHistory;
};

type ProfileSubject = { customerId: string; mergedCustomerIds: readonly string[] };

/**
 * The customer as of `asOf` (epoch ms), from the facts that had happened by then and the population
 * model in force then (none before the first fit: RFM, the grid thresholds and the predictions
 * need the population). This folds the history: it answers any past instant, and it is the
 * reference `profileFrom` is tested against.
 */
export function profileOf(
  customer: ProfileSubject & { history: CustomerHistory },
  asOf: number,
  model: PopulationModel | undefined,
  settings: ScoringSettings,
): CustomerProfile {
  const history = historyAsOf(customer.history, asOf);
  const purchases = purchasesOf(history, settings.orders);
  const signals = signalsOf(history, purchases, asOf);
  return profileWith(
    customer,
    {
      firstSeenAt: history.facts[0]?.time,
      isRegistered: factsOfKind(history, "registration").length > 0,
      purchases,
      historicValueMinor: historicValueOf(purchases, settings.historicValue).valueMinor,
      responses: { positive: signals.grid.positiveResponses, all: signals.grid.responseSignals },
      orders: summariseOrders(history, settings.orders),
      service: summariseService(history),
      web: summariseWeb(history),
      surveys: summariseSurveys(history),
      consents: consentsOf(history),
      contacts: summariseContacts(history, asOf),
    },
    asOf,
    model,
    settings,
  );
}

/**
 * The customer as of `asOf` from its profile state: the same profile `profileOf` gives from the
 * history, for any instant at or after the latest fact (a past instant needs the history). It reads
 * no fact, so scoring a customer costs the same however long its history.
 */
export function profileFrom(
  customer: ProfileSubject & { state: ProfileState },
  asOf: number,
  model: PopulationModel | undefined,
  settings: ScoringSettings,
): CustomerProfile {
  const { state } = customer;
  if (state.latestAt !== undefined && asOf < state.latestAt)
    throw new RangeError(
      `a profile state answers from its latest fact (${new Date(state.latestAt).toISOString()}) on, ` +
        `not as of ${new Date(asOf).toISOString()}: fold the history`,
    );
  const orders = ordersOfLedger(state.orders, settings);
  return profileWith(
    customer,
    {
      firstSeenAt: state.first?.time,
      isRegistered: state.isRegistered,
      purchases: orders.purchases,
      historicValueMinor: orders.historicValueMinor,
      responses: responseSignalsOfState(state),
      orders: orders.summary,
      service: serviceOf(state.service, settings),
      web: webOf(state.web, settings),
      surveys: surveysOf(state.surveys, settings),
      consents: standingConsentsOf(state.consents, settings),
      contacts: summariseContactTally(state.contacts, state.service, asOf),
    },
    asOf,
    model,
    settings,
  );
}

/** The signals the population model is fitted on, from a profile state (as of its latest fact or later). */
export function signalsOfState(state: ProfileState, asOf: number, settings: ScoringSettings) {
  return signalsFrom(ordersOfLedger(state.orders, settings).purchases, responseSignalsOfState(state), asOf);
}

/** The customer's purchases (valued in the reporting currency) with their instants, from a profile state. */
export function datedPurchasesOfState(state: ProfileState, settings: ScoringSettings): DatedPurchase[] {
  return ordersOfLedger(state.orders, settings).purchases.map((purchase) => ({
    at: purchaseInstant(purchase),
    netRevenueMinor: purchase.netRevenueMinor,
  }));
}

function responseSignalsOfState(state: ProfileState): { positive: number; all: number } {
  const offers = responseSignalsOfTally(state.contacts);
  return {
    positive: offers.positive + state.service.outboundCallsReached + state.surveys.answered,
    all: offers.all + state.service.outboundCalls + state.surveys.answered,
  };
}

// What follows from one part of a profile state whatever the scoring time, computed once per part.
const ordersOfLedger = derivedOnce((ledger: ProfileState["orders"], settings: ScoringSettings) => {
  const inputs = orderSummaryInputsOfLedger(ledger, settings.orders);
  const { purchases } = inputs;
  return {
    purchases,
    historicValueMinor: historicValueOf(purchases, settings.historicValue).valueMinor,
    summary: orderSummaryOf(inputs),
  };
});
const serviceOf = derivedOnce((tally: ProfileState["service"], _: ScoringSettings) =>
  summariseServiceTally(tally),
);
const webOf = derivedOnce((web: ProfileState["web"], _: ScoringSettings) => summariseWebVisits(web));
const surveysOf = derivedOnce((tally: ProfileState["surveys"], _: ScoringSettings) =>
  summariseSurveyTally(tally),
);
const standingConsentsOf = derivedOnce((standings: ProfileState["consents"], _: ScoringSettings) =>
  consentsOfStandings(standings),
);

function profileWith(
  customer: ProfileSubject,
  basis: ProfileBasis,
  asOf: number,
  model: PopulationModel | undefined,
  settings: ScoringSettings,
): CustomerProfile {
  const { purchases } = basis;
  const signals = signalsFrom(purchases, basis.responses, asOf);
  const firstSeenAt = basis.firstSeenAt ?? new Date(asOf).toISOString();
  const lifecycle = lifecycleHistory(firstSeenAt, purchases, asOf, settings.lifecycle);
  const stage = (lifecycle.at(-1) as LifecycleTransition).stage;
  const recencyBand = recencyBandOf(stage);
  const cell = model ? segmentCellOf(signals.grid, model.grid) : undefined;
  const rfm = signals.rfm && model ? rfmOf(signals.rfm, model.rfmBreakpoints, recencyBand) : undefined;
  const predicted =
    signals.purchasePattern && model?.purchases
      ? predictValue(model.purchases, signals.purchasePattern, settings.predictive)
      : undefined;
  return {
    customerId: customer.customerId,
    asOf: new Date(asOf).toISOString(),
    firstSeenAt,
    mergedCustomerIds: [...customer.mergedCustomerIds],
    currency: settings.orders.currency,
    tier: tierOf(basis.isRegistered, purchases, asOf, settings.tier),
    lifecycle: { stage, history: lifecycle },
    ...(rfm ? { rfm } : {}),
    historicValueMinor: basis.historicValueMinor,
    // The churn risk is the model's; its band also answers to the lifecycle (recency-band.ts).
    ...(predicted
      ? {
          predicted: {
            ...predicted,
            churnRiskBand: churnRiskBandWithin(predicted.churnRiskBand, recencyBand),
          },
        }
      : {}),
    ...(cell ? { segment: { cell, cellKey: cellKeyOf(cell), policy: responsePolicyOf(cell) } } : {}),
    orders: basis.orders,
    service: basis.service,
    web: basis.web,
    surveys: basis.surveys,
    consents: basis.consents,
    contacts: basis.contacts,
    ...(model ? { modelId: model.modelId } : {}),
  };
}
