import type {
  ContactChannel,
  CustomerProfile,
  CustomerSummary,
  GetCustomerResponse,
  GetNextBestOffersResponse,
  IdentityGraph,
  RfmScore,
} from "@rapport/proto";
import { identifierTypeNames } from "../customer-subject.js";
import { channelNames } from "./enum-labels.js";
import { count, decimal, moment, money, optional, percent } from "./figures.js";
import { nextBestOffersLines } from "./next-best-offers-lines.js";
import { textTable } from "./text-table.js";

/** What the 360 view puts together: identity's graph, scoring's customer and the offers previewed. */
export type Customer360 = {
  graph: IdentityGraph;
  customer: GetCustomerResponse;
  offers: GetNextBestOffersResponse;
  channel: ContactChannel;
};

const row = (label: string, value: string) => `  ${label.padEnd(20)}${value}`;
const named = (items: readonly { name: string; count: number }[]) =>
  items.length === 0 ? "none" : items.map((item) => `${item.name} ${count(item.count)}`).join(", ");
/** The recency band, and the population's quintile score when the band moved the recency score. */
const recencyLine = (rfm: RfmScore) =>
  rfm.recencyQuintileScore === rfm.recencyScore
    ? rfm.recencyBand
    : `${rfm.recencyBand}; R${rfm.recencyQuintileScore} by the population's quintiles`;

/**
 * The customer 360 a call-center agent reads: who they are (identifiers, merges, golden record),
 * how they score and what they did (scoring's profile), and what to offer them (a preview).
 */
export function customer360Lines({ graph, customer, offers, channel }: Customer360): string[] {
  return [
    ...identityLines(graph),
    "",
    ...(customer.customer && customer.summary
      ? profileLines(customer.customer, customer.summary)
      : ["Scores: scoring answered without a profile"]),
    "",
    ...nextBestOffersLines(offers, channel, { isPreview: true }),
  ];
}

function identityLines(graph: IdentityGraph): string[] {
  const identifiers = textTable(
    [{ heading: "identifier" }, { heading: "value" }, { heading: "linked" }, { heading: "by event" }],
    graph.identifiers.map((linked) => [
      identifierTypeNames.shortName(linked.identifier?.type ?? 0) ?? "unknown",
      linked.identifier?.value ?? "",
      moment(linked.linkedAt),
      linked.eventId,
    ]),
  );
  const golden = textTable(
    [{ heading: "trait" }, { heading: "value" }, { heading: "from" }, { heading: "observed" }],
    graph.goldenRecord.map((trait) => [trait.name, trait.value, trait.source, moment(trait.observedAt)]),
  );
  const merges = graph.merges.map(
    (merge) =>
      `  ${moment(merge.mergedAt)}  ${merge.merged.join(", ")} into ${merge.survivor} (${merge.rule})`,
  );
  return [
    `Customer ${graph.customerId}`,
    row("first seen", moment(graph.firstSeenAt)),
    row("also known as", graph.aliases.length === 0 ? "no merged ids" : graph.aliases.join(", ")),
    row(
      "events by source",
      graph.eventsBySource.length === 0
        ? "none"
        : graph.eventsBySource.map((source) => `${source.source} ${count(source.events)}`).join(", "),
    ),
    "",
    "Identifiers",
    ...identifiers,
    "",
    "Golden record",
    ...(graph.goldenRecord.length === 0 ? ["  no traits known"] : golden),
    "",
    "Merges",
    ...(merges.length === 0 ? ["  none"] : merges),
  ];
}

function profileLines(profile: CustomerProfile, summary: CustomerSummary): string[] {
  const amount = (minor: number) => money(minor, profile.currency);
  const rfm = profile.rfm;
  const value = profile.lifetimeValue;
  const cell = profile.segment;
  const orders = profile.orders;
  const service = profile.service;
  const web = profile.web;
  const surveys = profile.surveys;
  const contacts = profile.contacts;
  const stageSince = profile.lifecycleHistory.at(-1)?.since ?? "";
  return [
    `Scores as of ${moment(profile.asOf)} (${profile.modelId ? `model ${profile.modelId}` : "no population model yet"})`,
    row("tier", profile.tier),
    row("lifecycle", `${profile.lifecycleStage}${stageSince ? ` since ${moment(stageSince)}` : ""}`),
    row(
      "segment grid cell",
      cell && summary.segmentCell
        ? `${summary.segmentCell} (purchasing power ${cell.purchasingPower}, loyalty ${cell.loyalty}, ` +
            `response ${cell.responsePropensity}): ${cell.responsePolicy}`
        : "none before the first population model",
    ),
    row(
      "RFM",
      rfm
        ? `R${rfm.recencyScore} F${rfm.frequencyScore} M${rfm.monetaryScore} ${rfm.segment || "(unscored)"}: ` +
            `${decimal(rfm.recencyDays, 0)} days since the last order (${recencyLine(rfm)}), ` +
            `${count(rfm.frequency)} orders, ${amount(rfm.monetaryMinor)}`
        : "none",
    ),
    row(
      "lifetime value",
      value
        ? `historic ${amount(value.historicMinor)}, predicted ${optional(value.predictedMinor, amount)}`
        : "none",
    ),
    row(
      "churn risk",
      value?.churnRisk === undefined
        ? "not predicted yet"
        : `${percent(value.churnRisk)} (${value.churnRiskBand}), P(alive) ${optional(value.probabilityAlive, percent)}`,
    ),
    row(
      "predicted purchases",
      value?.predictedPurchases90d === undefined
        ? "not predicted yet"
        : `${optional(value.predictedPurchases30d, decimal)} in 30 days, ${decimal(value.predictedPurchases90d)} in 90, ` +
            `${optional(value.predictedPurchases365d, decimal)} in 365`,
    ),
    "",
    "Orders",
    ...(orders
      ? [
          row(
            "orders",
            `${count(orders.orders)} (${count(orders.cancelledOrders)} cancelled, ${count(orders.refundedOrders)} refunded)`,
          ),
          row(
            "revenue",
            `${amount(orders.revenueMinor)}, margin ${amount(orders.marginMinor)}, ` +
              `average order ${amount(orders.averageOrderValueMinor)}`,
          ),
          row("first and last", `${moment(orders.firstOrderAt)}, ${moment(orders.lastOrderAt)}`),
          ...orders.unvaluedOrders.map((unvalued) =>
            row(
              "not valued",
              `${count(unvalued.orders)} ${unvalued.currency} orders (${moment(unvalued.firstOrderAt)} to ` +
                `${moment(unvalued.lastOrderAt)}): scoring has no ${unvalued.currency} rate to ${profile.currency} ` +
                "for their days, so they are in no amount or score; give one in SCORING_EXCHANGE_RATES or " +
                "SCORING_EXCHANGE_RATES_FILE and they count from the next rescoring",
            ),
          ),
          row(
            "top categories",
            orders.categories.length === 0
              ? "none"
              : orders.categories
                  .slice(0, 5)
                  .map(
                    (category) =>
                      `${category.name} (${count(category.orders)}, ${amount(category.amountMinor)})`,
                  )
                  .join(", "),
          ),
        ]
      : ["  none"]),
    "",
    "Service history",
    ...(service
      ? [
          row(
            "calls",
            `${count(service.inboundCalls)} inbound, ${count(service.outboundCalls)} outbound (${named(service.callsByPurpose)})`,
          ),
          row(
            "complaints",
            `${count(service.openComplaints)} open, ${count(service.resolvedComplaints)} resolved` +
              (service.resolvedComplaints > 0
                ? ` in ${decimal(service.meanDaysToResolve, 1)} days on average`
                : ""),
          ),
          row("last contact", moment(service.lastContactAt)),
        ]
      : ["  none"]),
    "",
    "Web engagement",
    ...(web
      ? [
          row(
            "visits",
            `${count(web.pageViews)} page views in ${count(web.sessions)} sessions, last ${moment(web.lastVisitAt)}`,
          ),
          row("categories viewed", named(web.categoriesViewed)),
          row("searched for", named(web.searchKeywords)),
        ]
      : ["  none"]),
    "",
    "Survey sentiment",
    ...(surveys
      ? [
          row("surveys answered", count(surveys.surveysAnswered)),
          row(
            "latest NPS",
            surveys.latestNps === undefined
              ? "none"
              : `${surveys.latestNps} (${surveys.latestNpsClass}) on ${moment(surveys.latestNpsAt)}`,
          ),
          row(
            "CSAT",
            surveys.csatAverage === undefined
              ? "none"
              : `${decimal(surveys.csatAverage)} on average, trend ${optional(surveys.csatTrend, (trend) => `${trend >= 0 ? "+" : ""}${decimal(trend)}`)}`,
          ),
        ]
      : ["  none"]),
    "",
    "Consents",
    ...(profile.consents.length === 0
      ? ["  none recorded"]
      : textTable(
          [{ heading: "channel" }, { heading: "status" }, { heading: "since" }, { heading: "via" }],
          profile.consents.map((consent) => [
            channelNames.label(consent.channel),
            consent.status,
            moment(consent.changedAt),
            consent.via,
          ]),
        )),
    "",
    "Contact history",
    ...(contacts
      ? [
          row(
            "offers",
            `${count(contacts.offersPresented)} presented, ${count(contacts.offersAccepted)} accepted, ` +
              `${count(contacts.offersDeclined)} declined, ${count(contacts.offersNotAnswered)} not answered, ` +
              `${count(contacts.offersConverted)} converted (${amount(contacts.offerRevenueMinor)})`,
          ),
          row(
            "outbound calls",
            `${count(contacts.outboundCalls)}, ${count(contacts.outboundCallsReached)} reached`,
          ),
          row(
            "last contact",
            `${moment(contacts.lastContactAt)}, ${count(contacts.contactsLast30Days)} in the last 30 days`,
          ),
        ]
      : ["  none"]),
  ];
}
