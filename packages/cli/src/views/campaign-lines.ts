import {
  type Campaign,
  type CampaignAudience,
  ContactChannel,
  type GetCampaignReportResponse,
  type GetCampaignTargetsResponse,
} from "@rapport/proto";
import { channelNames } from "./enum-labels.js";
import { count, decimal, moment, optional, percent, points } from "./figures.js";
import { textTable } from "./text-table.js";

const row = (label: string, value: string) => `  ${label.padEnd(20)}${value}`;

/** A campaign as frozen: its offer and channel, audience, holdout, and who was kept out and why. */
export function campaignLines(campaign: Campaign): string[] {
  return [
    `Campaign ${campaign.campaignId}${campaign.name ? ` "${campaign.name}"` : ""}, created ${moment(campaign.createdAt)}`,
    row("offer", `${campaign.offerId} by ${channelNames.label(campaign.channel)}`),
    row("audience", audienceText(campaign.audience)),
    row(
      "targets",
      `${count(campaign.treatmentTargets)} to contact, ${count(campaign.holdoutTargets)} held out ` +
        `(holdout ${decimal(campaign.holdoutPercent, 1)}%)`,
    ),
    row("measured over", `${campaign.measurementDays} days after creation`),
    ...(campaign.exclusions.length === 0
      ? [row("excluded", "nobody")]
      : [
          "  excluded by the offer's rules or the contact policy:",
          ...textTable(
            [{ heading: "customers", alignRight: true }, { heading: "reason" }],
            campaign.exclusions.map((exclusion) => [count(exclusion.customers), exclusion.reason]),
          ).map((line) => `  ${line}`),
        ]),
  ];
}

function audienceText(audience: CampaignAudience | undefined): string {
  if (!audience) return "everyone scoring knows";
  const parts = [
    audience.tiers.length > 0 ? `tier ${audience.tiers.join(" or ")}` : "",
    audience.lifecycleStages.length > 0 ? `lifecycle ${audience.lifecycleStages.join(" or ")}` : "",
    audience.rfmSegments.length > 0 ? `RFM ${audience.rfmSegments.join(" or ")}` : "",
    audience.segmentCells.length > 0 ? `cell ${audience.segmentCells.join(" or ")}` : "",
    audience.minPredictedValueMinor !== undefined
      ? `predicted value at least ${count(audience.minPredictedValueMinor)}`
      : "",
    audience.minChurnRisk !== undefined ? `churn risk at least ${percent(audience.minChurnRisk)}` : "",
    audience.maxTargets > 0 ? `at most ${count(audience.maxTargets)} targets` : "",
  ].filter((part) => part !== "");
  return parts.length === 0 ? "everyone scoring knows" : parts.join(", ");
}

/**
 * A page of a campaign's targets in priority order: for a phone or SMS campaign the call list
 * (number, best hour, last contact, what to say), for email the addresses. `hasMore` says the
 * list goes on past what is shown.
 */
export function campaignTargetsLines(
  page: GetCampaignTargetsResponse,
  { group, hasMore }: { group: string; hasMore: boolean },
): string[] {
  const channel = page.campaign?.channel ?? ContactChannel.CONTACT_CHANNEL_UNSPECIFIED;
  const byPhone =
    channel === ContactChannel.CONTACT_CHANNEL_PHONE || channel === ContactChannel.CONTACT_CHANNEL_SMS;
  const byEmail = channel === ContactChannel.CONTACT_CHANNEL_EMAIL;
  const total = group === "holdout" ? page.campaign?.holdoutTargets : page.campaign?.treatmentTargets;
  const kind = group === "holdout" ? "holdout (contact nobody here)" : byPhone ? "call list" : "target list";
  const heading =
    `${page.campaign?.campaignId ?? ""} ${kind}: ${count(page.targets.length)} of ${count(total ?? 0)}` +
    `${hasMore ? "; more with a higher --limit" : ""}`;
  if (page.targets.length === 0) return [heading];
  return [
    heading,
    ...textTable(
      [
        { heading: "#", alignRight: true },
        { heading: "customer" },
        { heading: "priority", alignRight: true },
        ...(byPhone ? [{ heading: "phone" }, { heading: "best hour", alignRight: true }] : []),
        ...(byEmail ? [{ heading: "email" }] : []),
        { heading: "last contact" },
        { heading: "hints" },
      ],
      page.targets.map((target, index) => [
        String(index + 1),
        target.customerId,
        decimal(target.priority),
        ...(byPhone ? [target.phone, target.bestHour < 0 ? "–" : `${target.bestHour}:00`] : []),
        ...(byEmail ? [target.email] : []),
        moment(target.lastContactAt),
        target.scriptHints.join("; "),
      ]),
    ),
  ];
}

/**
 * A campaign's outcome: who was reached and responded, revenue against cost and ROI, and the
 * conversion lift over the holdout with its 95% confidence interval.
 */
export function campaignReportLines(report: GetCampaignReportResponse): string[] {
  const lift = report.conversionLift;
  const campaign = report.campaign;
  return [
    `Campaign report ${campaign?.campaignId ?? ""}${campaign?.name ? ` "${campaign.name}"` : ""} as of ${moment(report.asOf)}`,
    row("targeted", `${count(report.targeted)} (holdout ${count(report.holdout)})`),
    row("contacted", count(report.contacted)),
    row(
      "responded",
      `${count(report.responded)} (${count(report.positiveResponses)} positive), ` +
        `response rate ${percent(report.responseRate)}`,
    ),
    row("revenue", count(report.revenueMinor)),
    row("cost", count(report.costMinor)),
    row("ROI", optional(report.roi, percent)),
    row(
      "conversion",
      lift
        ? `treatment ${percent(lift.treatmentRate)}, holdout ${percent(lift.holdoutRate)}`
        : "not measured yet",
    ),
    ...(lift
      ? [
          row(
            "lift",
            `${points(lift.difference)} (95% CI ${points(lift.lower95)} to ${points(lift.upper95)})` +
              `${lift.relative === undefined ? "" : `, ${lift.relative >= 0 ? "+" : "−"}${percent(Math.abs(lift.relative))} relative`}`,
          ),
        ]
      : []),
    row(
      "revenue per target",
      `treatment ${count(report.treatmentRevenuePerTargetMinor)}, holdout ${count(report.holdoutRevenuePerTargetMinor)}`,
    ),
    "",
    "Revenue and cost are minor units of the reporting currency.",
  ];
}
