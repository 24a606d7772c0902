import {
  type Customer360,
  campaignReportLines,
  count,
  customer360Lines,
  money,
  percent,
  segmentReportLines,
  textTable,
  timelineLines,
} from "@rapport/cli";
import type {
  CustomerSummary,
  GetSegmentReportResponse,
  GetTimelineResponse,
  IdentityStats,
  PopulationModel,
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
  /** The customer with the highest predicted value, as `rapport customer` shows one. */
  customer: Customer360;
  timeline: GetTimelineResponse;
  campaign: CampaignOutcome;
};

const krw = (minor: number) => money(minor, "KRW");

/** The campaign's targets and exclusions (what the report does not carry), then its report. */
function campaignLines(outcome: CampaignOutcome): string[] {
  const excluded = outcome.exclusions.reduce((sum, exclusion) => sum + exclusion.customers, 0);
  const commonest = [...outcome.exclusions].sort((a, b) => b.customers - a.customers).slice(0, 3);
  return [
    `Campaign ${outcome.campaignId}: retention call to at-risk and lapsed customers`,
    `  targets ${count(outcome.treatment)} treatment, ${count(outcome.holdout)} holdout; excluded ${count(excluded)} customers${commonest.length > 0 ? `, most often: ${commonest.map((exclusion) => `${exclusion.reason} (${count(exclusion.customers)})`).join("; ")}` : ""}`,
    "",
    ...campaignReportLines(outcome.report),
  ];
}

/** The demo's report: what was published, registered vs unique customers, the segment report, the top
 * customers by predicted value, one customer 360 with its timeline, and the campaign with its lift. */
export function demoReportText(report: DemoReport): string {
  const { facts, published, identity, seconds } = report;
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
    "",
    `Population model ${report.model?.modelId ?? "?"}`,
    ...segmentReportLines(report.segments),
    "",
    "Top 10 customers by predicted lifetime value",
    ...textTable(
      [
        { heading: "customer" },
        { heading: "tier" },
        { heading: "stage" },
        { heading: "revenue", alignRight: true },
        { heading: "predicted CLV", alignRight: true },
        { heading: "churn risk", alignRight: true },
        { heading: "categories" },
      ],
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
    ...customer360Lines(report.customer),
    "",
    ...timelineLines(report.timeline, { hasMore: report.timeline.nextPageToken !== "" }),
    "",
    ...campaignLines(report.campaign),
    "",
  ];
  return lines.join("\n");
}
