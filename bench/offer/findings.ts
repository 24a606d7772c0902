import { formatCores, formatNumber } from "../shared/format.js";
import { median } from "../shared/percentiles.js";
import type { CampaignFigures } from "./campaign-phase.js";
import type { CampaignSearch } from "./campaign-search.js";
import { failureCause, failureCode } from "./failure-cause.js";
import { type OfferBenchReport, searchesOf } from "./offer-bench-report.js";

function medianOf(values: readonly (number | undefined)[]): number | undefined {
  const known = values.filter((value): value is number => value !== undefined && Number.isFinite(value));
  return known.length > 0 ? median(known) : undefined;
}

/** Each process's median CPU use over the measurements that saw it. */
function medianCores(measurements: readonly Record<string, number>[]): Record<string, number> {
  const names = new Set(measurements.flatMap((cores) => Object.keys(cores)));
  return Object.fromEntries(
    [...names].map((name) => [name, medianOf(measurements.map((cores) => cores[name])) ?? 0]),
  );
}

const sumOf = (cores: Record<string, number>) => Object.values(cores).reduce((sum, used) => sum + used, 0);
const kilobytes = (bytes: number) => `${formatNumber(bytes / 1024)} KiB`;

/**
 * What limits the figures, in sentences that only restate measurements of this report (and say where
 * in the code a measured limit comes from).
 */
export function findings(report: OfferBenchReport): string[] {
  const results = report.runs.map(({ result }) => result);
  const { cores: machineCores } = report.machine;
  const sentences: string[] = [];

  const folding = medianCores(results.map((r) => r.fold.rate.cores));
  sentences.push(
    `**Folding**: while the offer service folded the histories it used ${formatCores(folding, ", ")} cores ` +
      `(${formatNumber(sumOf(folding), 2)} of the machine's ${machineCores} together; medians over the runs, ` +
      "from /proc/<pid>/stat, all threads).",
  );

  const upsertP50 = medianOf(results.map((r) => r.upsertMs.p50));
  sentences.push(
    `**UpsertOffer** took ${formatNumber(upsertP50 ?? 0, 1)} ms (median p50) with the consumer idle: it publishes ` +
      "the change and answers once the consumer has applied it, which it checks every 100 ms " +
      "(`changeCatalog` in services/offer/src/adapters/offer-operations.ts).",
  );

  const deciding = medianCores(results.map((r) => r.decisions.cores));
  sentences.push(
    `**GetNextBestOffers**: during the load ${formatCores(deciding, ", ")} cores ` +
      `(${formatNumber(sumOf(deciding), 2)} of ${machineCores} together; the busiest was ${busiest(deciding)}); ` +
      "the benchmark's share includes the scoring stand-in answering one `GetCustomer` per call. Each call " +
      "reads the customer's contact history by `_id` (the pages after those it holds in memory) and the " +
      "catalog's change id, and for the offers made publishes the `OfferPresented` records and appends one " +
      "page to the history.",
  );

  const overCap = overCapSentence(report);
  if (overCap) sentences.push(overCap);

  let explained = false;
  for (const channel of ["phone", "email"] as const) {
    const searches = searchesOf(report, channel);
    if (searches.length === 0) continue;
    sentences.push(
      ...campaignFindings(report, searches, explained ? undefined : results[0]?.offersMaxMessageBytes),
    );
    explained ||= searches.some((search) => search.largest !== undefined);
  }
  return sentences;
}

/**
 * The customers the first campaign of run 1 excluded for more contacts in the window than the cap,
 * which the decisions that presented them should not have let happen; "" when there are none.
 */
function overCapSentence(report: OfferBenchReport): string {
  const search = report.runs[0]?.result.campaigns.find((candidate) => candidate.largest);
  const over = (search?.largest?.exclusions ?? []).flatMap(({ reason, customers }) => {
    const [, contacts, window, cap] =
      /^(\d+) contacts in the last (\d+) days \(cap (\d+)\)$/.exec(reason) ?? [];
    return Number(contacts) > Number(cap) ? [{ contacts: Number(contacts), window, cap, customers }] : [];
  });
  const [first] = over;
  if (!search || !first) return "";
  const counts = [...new Set(over.map(({ contacts }) => contacts))].sort((a, b) => a - b);
  return (
    `**Contact caps**: in run 1 the ${search.channel} campaign excluded ` +
    `${formatNumber(over.reduce((sum, { customers }) => sum + customers, 0))} customers for having ` +
    `${counts.join(" or ")} contacts in the last ${first.window} days, more than the cap of ${first.cap} that ` +
    "every presentation was checked against (the contacts came from the GetNextBestOffers load)."
  );
}

/** "FerretDB (1.21 cores)": the process that used the most CPU. */
function busiest(cores: Record<string, number>): string {
  const [name, used] = Object.entries(cores).sort((a, b) => b[1] - a[1])[0] ?? ["none", 0];
  return `${formatCores({ [name]: used }).replace(/ [\d.]+$/, "")} (${formatNumber(used, 2)} cores)`;
}

/**
 * The failure at the full audience, the largest campaign built with its records' sizes (and the
 * broker's limit when larger ones were refused as too large), where its time went, its targets without
 * the channel's address, and its exclusions.
 */
function campaignFindings(
  report: OfferBenchReport,
  searches: readonly CampaignSearch[],
  maxMessageBytes: number | undefined,
): string[] {
  const sentences: string[] = [];
  const { channel } = searches[0] as CampaignSearch;
  const label = `**${channel[0]?.toUpperCase()}${channel.slice(1)} campaign**`;
  const full = searches.map((search) => search.attempts[0] as CampaignFigures);
  const failed = full.filter((figures) => figures.failure !== undefined);

  if (failed.length > 0) {
    const causes = [...new Set(failed.map((figures) => failureCause(figures.serviceLog) ?? "nothing"))];
    const failedAt = medianOf(failed.map((figures) => figures.createSeconds));
    const streamedBy = medianOf(failed.map((figures) => figures.timeline.streamEnd));
    let sentence =
      `${label}: \`CreateCampaign\` for ${formatNumber(report.options.audience)} customers failed in ` +
      `${failed.length} of ${full.length} runs with ${failureCode(failed[0]?.failure ?? "")} after ` +
      `${formatNumber(failedAt ?? 0, 1)} s (median; the stand-in had streamed the audience by ` +
      `${formatNumber(streamedBy ?? 0, 1)} s); the offer service logged ${causes.map((cause) => `\`${cause}\``).join(", ")}.`;
    const smaller = new Set(
      searches
        .flatMap((search) => search.attempts.slice(1))
        .filter((figures) => figures.failure !== undefined)
        .map((figures) => figures.audience),
    );
    if (smaller.size > 0)
      sentence += ` Smaller audiences that failed too: ${[...smaller]
        .sort((a, b) => b - a)
        .map((size) => formatNumber(size))
        .join(", ")} customers.`;
    sentences.push(sentence);
  } else {
    sentences.push(
      `${label}: \`CreateCampaign\` for ${formatNumber(report.options.audience)} customers was built in every run.`,
    );
  }

  const best = searches
    .map((search) => ({ figures: search.largest, bytes: search.recordBytes }))
    .filter(
      (entry): entry is { figures: CampaignFigures; bytes: NonNullable<CampaignSearch["recordBytes"]> } =>
        Boolean(entry.figures && entry.bytes),
    )
    .sort((a, b) => b.figures.audience - a.figures.audience)[0];
  if (!best) return sentences;
  const { figures, bytes } = best;
  const partsBytes = bytes.parts.reduce((sum, size) => sum + size, 0);
  const targets = figures.treatmentTargets + figures.holdoutTargets;
  let sentence =
    `The largest ${channel} campaign built (${formatNumber(figures.audience)} customers streamed, ` +
    `${formatNumber(targets)} targets) put on \`crm.offers\` a \`CampaignCreated\` of ${kilobytes(bytes.created)} and ` +
    `${bytes.parts.length} \`CampaignTargetsFrozen\` parts of ${kilobytes(Math.min(...bytes.parts))} – ` +
    `${kilobytes(Math.max(...bytes.parts))} (${formatNumber(partsBytes / Math.max(1, targets))} bytes per target), ` +
    `${kilobytes(bytes.created + partsBytes)} together.`;
  const tooLarge = searches.some((search) =>
    search.attempts.some((attempt) =>
      /larger than the max message size/.test(failureCause(attempt.serviceLog) ?? ""),
    ),
  );
  if (tooLarge && maxMessageBytes !== undefined)
    sentence +=
      ` The broker takes record batches of at most ${formatNumber(maxMessageBytes)} bytes on \`crm.offers\` ` +
      "(`max.message.bytes` as it describes the topic), and the larger campaigns failed with the broker " +
      "refusing a message larger than that: their records did not go out in batches under the limit.";
  sentences.push(sentence);

  const { streamEnd, publishStart, answer } = figures.timeline;
  if (streamEnd !== undefined && publishStart !== undefined)
    sentences.push(
      `Where its ${formatNumber(figures.createSeconds, 1)} s went (run ${runOf(report, figures)}): the stand-in had ` +
        `streamed the audience by ${formatNumber(streamEnd, 1)} s, the first record reached \`crm.offers\` at ` +
        `${formatNumber(publishStart, 1)} s (in between the service read every contact fact in its store and ` +
        `screened the audience), and it answered at ${formatNumber(answer, 1)} s (publishing and saving the ` +
        `parts). CPU meanwhile: ${formatCores(figures.cores, ", ")} cores.`,
    );

  if (figures.targetsWithoutAddress > 0)
    sentences.push(
      `${formatNumber(figures.targetsWithoutAddress)} of its ${formatNumber(targets)} targets have no ` +
        `${channel === "phone" ? "phone number" : "email address"} (\`GetCampaignTargets\` gives none): every history in this workload names a phone and an email, so ` +
        "these are customers known to scoring only, whose history the offer service does not hold; screening " +
        "a campaign does not ask for the channel's address (`createCampaign` in " +
        "services/offer/src/adapters/offer-operations.ts).",
    );

  const excluded = figures.exclusions.reduce((sum, exclusion) => sum + exclusion.customers, 0);
  const singles = figures.exclusions.filter((exclusion) => exclusion.customers === 1);
  const example = singles.find((exclusion) => /\d{4}-\d{2}-\d{2}|CMP-/.test(exclusion.reason)) ?? singles[0];
  if (figures.exclusions.length > 0)
    sentences.push(
      `Its exclusions count ${formatNumber(excluded)} customers under ${formatNumber(figures.exclusions.length)} ` +
        `distinct reasons, ${formatNumber(singles.length)} of which name a single customer` +
        (example ? ` (e.g. \`${example.reason}\`)` : "") +
        ": reasons that carry dates, counts or complaint references are not grouped, and the list is part of " +
        "the campaign and of its `CampaignCreated` record.",
    );
  return sentences;
}

/** The number of the run whose campaign these figures are. */
function runOf(report: OfferBenchReport, figures: CampaignFigures): number {
  return (
    1 +
    report.runs.findIndex(({ result }) =>
      result.campaigns.some((search) => search.attempts.includes(figures)),
    )
  );
}
