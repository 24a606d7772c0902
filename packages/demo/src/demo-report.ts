// The demo's report as text. The customer 360, the segment grid and the campaign report are what the
// CLI's own commands print too; when those renderers land, this file gives way to them.
import {
  ContactChannel,
  type CustomerProfile,
  type CustomerSummary,
  enumNames,
  type GetNextBestOffersResponse,
  type GetSegmentReportResponse,
  type IdentityStats,
  type PopulationModel,
  type TimelineEntry,
} from "@rapport/proto";
import type { CompanyFacts } from "./company/company.js";
import type { CampaignOutcome } from "./demo-campaign.js";
import type { PublishTally } from "./publish-company.js";

export type DemoReport = {
  options: { customers: number; months: number; seed: number };
  facts: CompanyFacts;
  published: PublishTally;
  /** Seconds each phase took. */
  seconds: { publish: number; fold: number; rescore: number; campaign: number; total: number };
  identity: IdentityStats;
  segments: GetSegmentReportResponse;
  model: PopulationModel | undefined;
  topByValue: CustomerSummary[];
  customer: {
    profile: CustomerProfile;
    timeline: TimelineEntry[];
    nextBestOffers: GetNextBestOffersResponse;
  };
  campaign: CampaignOutcome;
};

const count = (value: number) => value.toLocaleString("en");
const channelNames = enumNames(ContactChannel, "CONTACT_CHANNEL_", [
  "email",
  "sms",
  "phone",
  "post",
  "push",
  "web",
]);
const krw = (minor: number) => `${count(Math.round(minor))} KRW`;
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
const points = (share: number) => `${share >= 0 ? "+" : ""}${(share * 100).toFixed(1)} pts`;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    `  ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join("  ")}`;
  return [line(header), ...rows.map(line)];
}

function segmentGrid(report: GetSegmentReportResponse): string[] {
  const rows = report.grid.map(({ cell, figures }) => [
    `${cell?.purchasingPower ?? "?"} power · ${cell?.loyalty ?? "?"} loyalty · ${cell?.responsePropensity ?? "?"} response`,
    cell?.responsePolicy ?? "",
    count(figures?.customers ?? 0),
    krw(figures?.revenueMinor ?? 0),
    krw(figures?.meanPredictedValueMinor ?? 0),
  ]);
  return table(["cell", "policy", "customers", "revenue", "mean predicted CLV"], rows);
}

function customer360(report: DemoReport["customer"]): string[] {
  const { profile, timeline, nextBestOffers } = report;
  const value = profile.lifetimeValue;
  const orders = profile.orders;
  const lines = [
    `Customer 360: ${profile.customerId}${profile.mergedCustomerIds.length > 0 ? ` (merged from ${profile.mergedCustomerIds.length} more)` : ""}`,
    `  tier ${profile.tier}, lifecycle ${profile.lifecycleStage}, RFM ${profile.rfm?.segment || "-"} (R${profile.rfm?.recencyScore ?? "-"} F${profile.rfm?.frequencyScore ?? "-"} M${profile.rfm?.monetaryScore ?? "-"}), grid ${profile.segment?.purchasingPower ?? "?"}/${profile.segment?.loyalty ?? "?"}/${profile.segment?.responsePropensity ?? "?"} → ${profile.segment?.responsePolicy || "-"}`,
    `  orders ${count(orders?.orders ?? 0)}, revenue ${krw(orders?.revenueMinor ?? 0)}, average ${krw(orders?.averageOrderValueMinor ?? 0)}, last ${orders?.lastOrderAt.slice(0, 10) || "-"}; categories ${(orders?.categories ?? []).map((category) => `${category.name} ${category.orders}`).join(", ") || "-"}`,
    `  lifetime value: historic ${krw(value?.historicMinor ?? 0)}, predicted ${value?.predictedMinor === undefined ? "-" : krw(value.predictedMinor)}, P(alive) ${value?.probabilityAlive === undefined ? "-" : percent(value.probabilityAlive)}, churn risk ${value?.churnRiskBand || "-"}`,
    `  service: ${profile.service?.inboundCalls ?? 0} inbound / ${profile.service?.outboundCalls ?? 0} outbound calls, ${profile.service?.openComplaints ?? 0} open and ${profile.service?.resolvedComplaints ?? 0} resolved complaints`,
    `  web: ${profile.web?.pageViews ?? 0} page views in ${profile.web?.sessions ?? 0} sessions; searched ${(profile.web?.searchKeywords ?? []).map((keyword) => keyword.name).join(", ") || "-"}`,
    `  surveys: ${profile.surveys?.surveysAnswered ?? 0}, latest NPS ${profile.surveys?.latestNps ?? "-"} ${profile.surveys?.latestNpsClass ?? ""}; consents ${profile.consents.map((consent) => `${channelNames.shortName(consent.channel) ?? "?"} ${consent.status}`).join(", ") || "-"}`,
    "  Timeline (latest first):",
    ...timeline.map(
      (entry) =>
        `    ${entry.time.slice(0, 16).replace("T", " ")}  ${entry.kind.padEnd(10)} ${entry.summary}`,
    ),
    "  Next best offers on the phone (preview):",
    ...nextBestOffers.offers.map(
      (decision) =>
        `    ${decision.offer?.name ?? decision.offer?.offerId}: P(response) ${percent(decision.score?.responseProbability ?? 0)}, expected net ${krw(decision.score?.expectedNetValueMinor ?? 0)}`,
    ),
    ...nextBestOffers.notMade.map((notMade) => `    not ${notMade.offerId}: ${notMade.reason}`),
  ];
  return lines;
}

function campaignReport(outcome: CampaignOutcome): string[] {
  const { report } = outcome;
  const lift = report.conversionLift;
  const excluded = outcome.exclusions.reduce((sum, exclusion) => sum + exclusion.customers, 0);
  const commonest = [...outcome.exclusions].sort((a, b) => b.customers - a.customers).slice(0, 3);
  return [
    `Campaign ${outcome.campaignId}: retention call to at-risk and lapsed customers`,
    `  targets ${count(outcome.treatment)} treatment, ${count(outcome.holdout)} holdout; excluded ${count(excluded)} customers${commonest.length > 0 ? `, most often: ${commonest.map((exclusion) => `${exclusion.reason} (${count(exclusion.customers)})`).join("; ")}` : ""}`,
    `  contacted ${count(report.contacted)}, responded ${count(report.responded)} (${percent(report.responseRate)}), positive ${count(report.positiveResponses)}, revenue ${krw(report.revenueMinor)}, cost ${krw(report.costMinor)}, ROI ${report.roi === undefined ? "-" : percent(report.roi)}`,
    lift
      ? `  lift: bought within ${report.campaign?.measurementDays ?? "?"} days ${percent(lift.treatmentRate)} treatment vs ${percent(lift.holdoutRate)} holdout: ${points(lift.difference)} (95% interval ${points(lift.lower95)} to ${points(lift.upper95)})`
      : "  lift: no conversions measured yet",
  ];
}

export function demoReportText(report: DemoReport): string {
  const { facts, published, identity, segments, seconds } = report;
  const base = segments.customerBase;
  const lines = [
    "",
    `Rapport demo: ${count(report.options.customers)} people over ${report.options.months} months (seed ${report.options.seed})`,
    `  published ${count(published.sent)} events in ${Math.round(seconds.publish)} s: ${count(published.byPath.kafka)} to Kafka raw topics (orders, calls), ${count(published.byPath.http)} to POST /v1/events (sign-ups, consents, surveys, logins), ${count(published.byPath.weblog)} access-log lines to POST /v1/weblogs`,
    `  the company: ${count(facts.orders)} orders (${krw(facts.revenueMinor)}), ${count(facts.calls)} calls with ${count(facts.complaints)} complaints, ${count(facts.surveys)} surveys, ${count(facts.consentChanges)} consent changes, ${count(facts.pageViews)} page views`,
    `  folded in ${Math.round(seconds.fold)} s, rescored in ${Math.round(seconds.rescore)} s, campaign in ${Math.round(seconds.campaign)} s; ${Math.round(seconds.total)} s in all`,
    "",
    "Registered vs unique customers",
    `  sign-ups sent              ${count(facts.signUps)} (${count(facts.duplicateSignUps)} second sign-ups by ${count(facts.people)} people; ${count(facts.anonymousVisitors)} visitors never signed up)`,
    `  source records (identity)  ${count(identity.sourceRecords)}`,
    `  unique customers           ${count(identity.uniqueCustomers)} (${count(identity.duplicatesMerged)} merged into another, ${count(identity.anonymousOnlyCustomers)} known by cookies only)`,
    `  scoring: registered ${count(base?.registered ?? 0)}, unique ${count(base?.unique ?? 0)}, active ${count(base?.active ?? 0)}, meaningful ${count(base?.meaningful ?? 0)}`,
    "",
    "Lifecycle stages",
    ...table(
      ["stage", "customers", "revenue"],
      segments.lifecycleStages.map((stage) => [stage.name, count(stage.customers), krw(stage.revenueMinor)]),
    ),
    "",
    `Segment grid (model ${report.model?.modelId ?? "?"})`,
    ...segmentGrid(segments),
    "",
    "Top 10 customers by predicted lifetime value",
    ...table(
      ["customer", "tier", "stage", "revenue", "predicted CLV", "churn risk", "categories"],
      report.topByValue.map((summary) => [
        summary.customerId,
        summary.tier,
        summary.lifecycleStage,
        krw(summary.revenueMinor),
        summary.predictedValueMinor === undefined ? "-" : krw(summary.predictedValueMinor),
        summary.churnRisk === undefined ? "-" : percent(summary.churnRisk),
        summary.topCategories.join(", "),
      ]),
    ),
    "",
    ...customer360(report.customer),
    "",
    ...campaignReport(report.campaign),
    "",
  ];
  return lines.join("\n");
}
