import {
  ContactChannel,
  type CustomerProfile as CustomerProfileMessage,
  CustomerSort as CustomerSortMessage,
  type CustomerSummary as CustomerSummaryMessage,
  enumNames,
  type GetValuationResponse,
  type PopulationModel as PopulationModelMessage,
  type PurchaseCountFit as PurchaseCountFitMessage,
} from "@rapport/proto";
import { compareText } from "../domain/customer-facts.js";
import type { CustomerSort, ListedCustomer } from "../domain/customer-list.js";
import type { CustomerProfile } from "../domain/customer-profile.js";
import { firstRatedDay } from "../domain/exchange-rates.js";
import type { ModelFit, PurchaseCountFit } from "../domain/lifetime-value/index.js";
import type { PopulationModel } from "../domain/population-model.js";
import type { OrderSettings } from "../domain/projections/order-valuation.js";
import type { RankedCount } from "../domain/projections/ranked-counts.js";

const contactChannels = enumNames(ContactChannel, "CONTACT_CHANNEL_", [
  "email",
  "sms",
  "phone",
  "post",
  "push",
  "web",
] as const);

/** The domain's customer 360 as CustomerService answers it. */
export function profileMessage(profile: CustomerProfile): CustomerProfileMessage {
  const { orders, service, web, surveys, contacts, predicted, rfm } = profile;
  return {
    customerId: profile.customerId,
    asOf: profile.asOf,
    firstSeenAt: profile.firstSeenAt,
    mergedCustomerIds: profile.mergedCustomerIds,
    currency: profile.currency,
    tier: profile.tier,
    lifecycleStage: profile.lifecycle.stage,
    lifecycleHistory: profile.lifecycle.history.map((transition) => ({
      stage: transition.stage,
      since: transition.since,
      eventId: transition.cause.kind === "purchase" ? transition.cause.eventId : "",
    })),
    rfm: rfm
      ? {
          recencyDays: rfm.recencyDays,
          frequency: rfm.frequency,
          monetaryMinor: rfm.monetaryMinor,
          recencyScore: rfm.scores.recency,
          frequencyScore: rfm.scores.frequency,
          monetaryScore: rfm.scores.monetary,
          segment: rfm.segment,
          recencyQuintileScore: rfm.recencyQuintileScore,
          recencyBand: rfm.recencyBand,
        }
      : undefined,
    lifetimeValue: {
      historicMinor: profile.historicValueMinor,
      churnRiskBand: predicted?.churnRiskBand ?? "",
      ...(predicted
        ? {
            predictedMinor: predicted.predictedValueMinor,
            probabilityAlive: predicted.probabilityAlive,
            churnRisk: predicted.churnRisk,
            predictedPurchases30d: predicted.predictedPurchases30d,
            predictedPurchases90d: predicted.predictedPurchases90d,
            predictedPurchases365d: predicted.predictedPurchases365d,
            expectedAverageSpendMinor: predicted.expectedAverageSpendMinor,
          }
        : {}),
    },
    segment: profile.segment
      ? { ...profile.segment.cell, responsePolicy: profile.segment.policy }
      : undefined,
    orders: {
      orders: orders.orders,
      cancelledOrders: orders.cancelledOrders,
      refundedOrders: orders.refundedOrders,
      ordersInOtherCurrencies: orders.ordersInOtherCurrencies,
      revenueMinor: orders.revenueMinor,
      marginMinor: orders.marginMinor,
      averageOrderValueMinor: orders.averageOrderValueMinor,
      firstOrderAt: orders.firstOrderAt ?? "",
      lastOrderAt: orders.lastOrderAt ?? "",
      meanPurchaseIntervalDays: orders.meanPurchaseIntervalDays ?? 0,
      lastPurchaseIntervalDays: orders.lastPurchaseIntervalDays ?? 0,
      categories: orders.categories.map((affinity) => ({
        name: affinity.category,
        orders: affinity.orders,
        amountMinor: affinity.amountMinor,
      })),
      products: orders.products.map((affinity) => ({
        name: affinity.productId,
        orders: affinity.orders,
        amountMinor: 0,
      })),
      unvaluedOrders: orders.unvaluedOrders,
    },
    service: {
      inboundCalls: service.inboundCalls,
      outboundCalls: service.outboundCalls,
      callsByPurpose: Object.entries(service.callsByPurpose).map(([name, count]) => ({ name, count })),
      openComplaints: service.openComplaints,
      resolvedComplaints: service.resolvedComplaints,
      meanDaysToResolve: service.meanDaysToResolve ?? 0,
      complaints: service.complaints.map((complaint) => ({
        ...complaint,
        resolvedAt: complaint.resolvedAt ?? "",
      })),
      lastContactAt: service.lastContactAt ?? "",
    },
    web: {
      pageViews: web.pageViews,
      sessions: web.sessions,
      meanPageViewsPerSession: web.meanPageViewsPerSession,
      lastVisitAt: web.lastVisitAt ?? "",
      categoriesViewed: countsMessage(web.categoriesViewed),
      searchKeywords: countsMessage(web.searchKeywords),
      entryPages: countsMessage(web.entryPages),
      exitPages: countsMessage(web.exitPages),
    },
    surveys: {
      surveysAnswered: surveys.surveysAnswered,
      latestNps: surveys.latestNps,
      latestNpsClass: surveys.latestNpsClass ?? "",
      latestNpsAt: surveys.latestNpsAt ?? "",
      csatAverage: surveys.csatAverage,
      csatTrend: surveys.csatTrend,
    },
    consents: profile.consents.map((consent) => ({
      channel: contactChannels.valueOf(consent.channel),
      status: consent.status,
      changedAt: consent.changedAt,
      via: consent.via ?? "",
    })),
    contacts: {
      outboundCalls: contacts.outboundCalls,
      outboundCallsReached: contacts.outboundCallsReached,
      offersAccepted: contacts.offerResponses.accepted,
      offersDeclined: contacts.offerResponses.declined,
      offersNotAnswered: contacts.offerResponses.no_answer,
      offersConverted: contacts.offerResponses.converted,
      offerRevenueMinor: contacts.offerRevenueMinor,
      lastContactAt: contacts.lastContactAt ?? "",
      contactsLast30Days: contacts.contactsLast30Days,
      offersPresented: contacts.offersPresented,
    },
    modelId: profile.modelId ?? "",
  };
}

/** The reporting currency and the currencies the operator gave rates for, as GetValuation answers. */
export function valuationMessage({ currency, rates }: OrderSettings): GetValuationResponse {
  return {
    reportingCurrency: currency,
    ratedCurrencies: [...rates]
      .sort(([a], [b]) => compareText(a, b))
      .map(([code, known]) => ({ currency: code, firstRatedDay: firstRatedDay(known) ?? "" })),
  };
}

export function countsMessage(counts: readonly RankedCount[]) {
  return counts.map(({ value, count }) => ({ name: value, count }));
}

export function summaryMessage({ customerId, summary }: ListedCustomer): CustomerSummaryMessage {
  return {
    customerId,
    tier: summary.tier,
    lifecycleStage: summary.lifecycleStage,
    rfmSegment: summary.rfmSegment ?? "",
    segmentCell: summary.segmentCell,
    responsePolicy: summary.responsePolicy,
    revenueMinor: summary.revenueMinor,
    historicValueMinor: summary.historicValueMinor,
    predictedValueMinor: summary.predictedValueMinor,
    churnRisk: summary.churnRisk,
    lastOrderAt: summary.lastOrderAt ?? "",
    churnRiskBand: summary.churnRiskBand ?? "",
    recencyScore: summary.rfmScores?.recency ?? 0,
    frequencyScore: summary.rfmScores?.frequency ?? 0,
    monetaryScore: summary.rfmScores?.monetary ?? 0,
    marginMinor: summary.marginMinor,
    topCategories: summary.topCategories,
    latestNpsClass: summary.latestNpsClass ?? "",
    openComplaints: summary.openComplaints,
  };
}

export function modelMessage(model: PopulationModel): PopulationModelMessage {
  const { purchaseCounts, gammaGamma } = model.purchases ?? {};
  return {
    modelId: model.modelId,
    fittedAsOf: model.fittedAsOf,
    customers: model.customers,
    buyingCustomers: model.buyingCustomers,
    rfmBreakpoints: model.rfmBreakpoints,
    purchasingPowerThresholdMinor: model.grid.purchasingPowerMinor,
    loyaltyThresholdOrders: model.grid.loyaltyOrders,
    purchaseCounts: purchaseCounts && purchaseCountFitMessage(purchaseCounts),
    purchaseCountChoice: model.purchaseCountChoice ?? "",
    bgNbd:
      purchaseCounts?.model === "bg-nbd"
        ? { ...purchaseCounts.fit.parameters, ...fitFigures(purchaseCounts.fit) }
        : undefined,
    gammaGamma: gammaGamma ? { ...gammaGamma.parameters, ...fitFigures(gammaGamma) } : undefined,
    fitDurationMs: model.fitDurationMs,
  };
}

export function purchaseCountFitMessage(counts: PurchaseCountFit): PurchaseCountFitMessage {
  return { model: counts.model, parameters: counts.fit.parameters, ...fitFigures(counts.fit) };
}

export function fitFigures(fit: ModelFit<unknown>) {
  const { logLikelihood, customers, iterations, converged } = fit;
  return { logLikelihood, customers, iterations, converged };
}

const sortOf: Record<CustomerSortMessage, CustomerSort | undefined> = {
  [CustomerSortMessage.CUSTOMER_SORT_UNSPECIFIED]: "predicted_value",
  [CustomerSortMessage.CUSTOMER_SORT_PREDICTED_VALUE]: "predicted_value",
  [CustomerSortMessage.CUSTOMER_SORT_HISTORIC_VALUE]: "historic_value",
  [CustomerSortMessage.CUSTOMER_SORT_CHURN_RISK]: "churn_risk",
  [CustomerSortMessage.CUSTOMER_SORT_RECENCY]: "recency",
  [CustomerSortMessage.CUSTOMER_SORT_REVENUE]: "revenue",
  [CustomerSortMessage.CUSTOMER_SORT_RETENTION_PRIORITY]: "retention_priority",
  [CustomerSortMessage.UNRECOGNIZED]: undefined,
};

export function customerSortOf(sort: CustomerSortMessage): CustomerSort | undefined {
  return sortOf[sort];
}
