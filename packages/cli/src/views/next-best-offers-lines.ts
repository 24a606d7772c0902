import type { ContactChannel, GetNextBestOffersResponse } from "@rapport/proto";
import { channelNames, strategyNames } from "./enum-labels.js";
import { count, percent } from "./figures.js";
import { textTable } from "./text-table.js";

/**
 * Next best offers as a person reads them: a ranked table (response probability, value, cost and
 * expected net value in minor units), each offer's reasons under it, then the offers not made with
 * the first rule that refused each. A preview says that nothing was recorded.
 */
export function nextBestOffersLines(
  answer: GetNextBestOffersResponse,
  channel: ContactChannel,
  { isPreview }: { isPreview: boolean },
): string[] {
  const on = channelNames.label(channel);
  const heading = isPreview
    ? `Next best offers for ${answer.customerId} on ${on} (preview: nothing recorded, no contact counted)`
    : `Next best offers for ${answer.customerId} on ${on} (recorded as presented on crm.offers)`;
  const offered =
    answer.offers.length === 0
      ? ["  none: every offer was refused (see below)"]
      : textTable(
          [
            { heading: "#", alignRight: true },
            { heading: "offer" },
            { heading: "name" },
            { heading: "strategy" },
            { heading: "P(response)", alignRight: true },
            { heading: "value", alignRight: true },
            { heading: "cost", alignRight: true },
            { heading: "expected net", alignRight: true },
            ...(isPreview ? [] : [{ heading: "presentation id" }]),
          ],
          answer.offers.map((decision, index) => [
            String(index + 1),
            decision.offer?.offerId ?? "",
            decision.offer?.name ?? "",
            strategyNames.label(decision.offer?.strategy ?? 0),
            percent(decision.score?.responseProbability ?? 0),
            count(decision.score?.valueMinor ?? 0),
            count(decision.score?.costMinor ?? 0),
            count(decision.score?.expectedNetValueMinor ?? 0),
            ...(isPreview ? [] : [decision.presentationId]),
          ]),
        );
  const reasons = answer.offers.flatMap((decision, index) => [
    `  ${index + 1}. ${decision.offer?.offerId ?? ""}: ${decision.reasons.join("; ")}`,
    ...(decision.queuedTreatment
      ? [`     first because a treatment is queued: ${decision.queuedTreatment}`]
      : []),
    ...(decision.score
      ? [
          `     response rate from ${count(decision.score.positiveResponsesSeen)} positive of ` +
            `${count(decision.score.presentationsSeen)} presentations in cell ${decision.score.segmentCell || "none"}` +
            `${decision.score.sampled ? " (a Thompson draw)" : ""}`,
        ]
      : []),
  ]);
  const notMade =
    answer.notMade.length === 0
      ? []
      : [
          "",
          "Not offered",
          ...textTable(
            [{ heading: "offer" }, { heading: "why not" }],
            answer.notMade.map((refusal) => [refusal.offerId, refusal.reason]),
          ),
        ];
  return [
    heading,
    ...offered,
    ...(reasons.length === 0 ? [] : ["", "Why", ...reasons]),
    ...notMade,
    "",
    "Value, cost and expected net value are minor units of the reporting currency.",
  ];
}
