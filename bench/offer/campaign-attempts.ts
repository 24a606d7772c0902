import { formatNumber, formatSpread, markdownTable } from "../shared/format.js";
import { spreadOf } from "../shared/percentiles.js";
import type { CampaignFigures } from "./campaign-phase.js";
import { failureCode } from "./failure-cause.js";
import type { OfferBenchReport } from "./offer-bench-report.js";

/** The outcome of the attempts at one size in every run: "built: …" or "failed (INTERNAL)". */
function outcomeOf(attempts: readonly CampaignFigures[]): string {
  const built = attempts.filter((figures) => figures.failure === undefined);
  const failed = attempts.filter((figures) => figures.failure !== undefined);
  const targets = (figures: CampaignFigures) =>
    `${formatNumber(figures.treatmentTargets)} treatment, ${formatNumber(figures.holdoutTargets)} holdout`;
  const codes = [...new Set(failed.map((figures) => failureCode(figures.failure as string)))].join(", ");
  if (failed.length === 0) return `built: ${[...new Set(built.map(targets))].join("; ")}`;
  if (built.length === 0) return `failed (${codes})`;
  return `built in ${built.length} of ${attempts.length} runs (${[...new Set(built.map(targets))].join("; ")}), else failed (${codes})`;
}

function secondsSpread(values: readonly (number | undefined)[]): string {
  const known = values.filter((value): value is number => value !== undefined);
  if (known.length === 0) return "–";
  const { median, range } = formatSpread(spreadOf(known), 1);
  return known.length === 1 ? median : `${median} (${range})`;
}

/** Every CreateCampaign size tried, in the order of the first run, with the runs' medians and ranges. */
export function attemptsTable(report: OfferBenchReport): string {
  const bySize = new Map<string, CampaignFigures[]>();
  for (const { result } of report.runs)
    for (const search of result.campaigns)
      for (const figures of search.attempts) {
        const key = `${figures.channel} ${figures.audience}`;
        bySize.set(key, [...(bySize.get(key) ?? []), figures]);
      }
  const rows = [...bySize.values()].map((attempts) => {
    const [first] = attempts as [CampaignFigures];
    return [
      first.channel,
      formatNumber(first.audience),
      String(attempts.length),
      outcomeOf(attempts),
      secondsSpread(attempts.map((figures) => figures.createSeconds)),
      secondsSpread(attempts.map((figures) => figures.timeline.streamEnd)),
      secondsSpread(attempts.map((figures) => figures.timeline.publishStart)),
      [...new Set(attempts.map((figures) => formatNumber(figures.recordsPublished)))].join(", "),
    ];
  });
  return markdownTable(
    [
      "campaign",
      "customers streamed",
      "runs",
      "outcome",
      "CreateCampaign, s",
      "audience streamed by, s",
      "first record on crm.offers at, s",
      "records on crm.offers",
    ],
    rows,
    ["---", "---:", "---:", "---", "---:", "---:", "---:", "---:"],
  );
}
