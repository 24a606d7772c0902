import { readTopic } from "@rapport/testing";
import type { BenchEndpoints } from "../shared/bench-infra.js";
import type { Log } from "../shared/progress.js";
import { type CampaignFigures, type CampaignPhaseOptions, measureCampaign } from "./campaign-phase.js";

export type CampaignSearchOptions = Omit<CampaignPhaseOptions, "audience" | "campaignId"> & {
  endpoints: BenchEndpoints;
  /** The audience asked for: tried first. */
  audience: number;
  /** Makes the stand-in stream the first `size` customers of the population. */
  setAudience: (size: number) => void;
  /**
   * Whether a failed size is followed by bisection between the largest size built and the smallest
   * that failed (only where a built campaign changes nothing later ones read: a phone campaign presents
   * nothing), or only by halving until one is built.
   */
  bisect: boolean;
  log: Log;
};

/** The records a campaign put on crm.offers under its id, by size in bytes (the JSON value). */
export type CampaignRecordBytes = { created: number; parts: number[] };

export type CampaignSearch = {
  channel: CampaignFigures["channel"];
  offerId: string;
  /** Every CreateCampaign made, in order. */
  attempts: CampaignFigures[];
  /** The largest audience built; undefined when none was. */
  largest: CampaignFigures | undefined;
  /** What the largest campaign's records weigh, read back from crm.offers; undefined when none was built. */
  recordBytes: CampaignRecordBytes | undefined;
};

/** Sizes are multiples of this, and bisection stops when the gap is this small (or 2 % of the audience). */
const sizeStep = 500;

/**
 * Builds the campaign for the whole audience; when that fails (or runs past the deadline), for
 * smaller audiences: halved until one is built, then, if `bisect`, bisected towards the largest
 * that can be, so the figures of the largest campaign that was built are reported along with why
 * larger ones were not.
 */
export async function searchLargestCampaign(options: CampaignSearchOptions): Promise<CampaignSearch> {
  const attempts: CampaignFigures[] = [];
  const attempt = async (size: number) => {
    options.setAudience(size);
    options.log(`  ${options.channel} campaign for ${size.toLocaleString("en")} customers:`);
    const figures = await measureCampaign({
      ...options,
      audience: size,
      campaignId: `bench-${options.channel}-${size}`,
    });
    attempts.push(figures);
    return figures.failure === undefined;
  };
  let built = 0;
  let failed = options.audience;
  if (!(await attempt(options.audience))) {
    for (let size = halved(options.audience); size >= sizeStep; size = halved(size)) {
      if (await attempt(size)) {
        built = size;
        break;
      }
      failed = size;
    }
    const precision = Math.max(sizeStep, Math.round(options.audience / 50));
    while (options.bisect && built > 0 && failed - built > precision) {
      const size = Math.round((built + failed) / 2 / sizeStep) * sizeStep;
      if (await attempt(size)) built = size;
      else failed = size;
    }
  }
  const largest = attempts
    .filter((figures) => figures.failure === undefined)
    .reduce<CampaignFigures | undefined>(
      (best, figures) => (best && best.audience >= figures.audience ? best : figures),
      undefined,
    );
  return {
    channel: options.channel,
    offerId: options.offerId,
    attempts,
    largest,
    recordBytes: largest
      ? await campaignRecordBytes(options, `bench-${options.channel}-${largest.audience}`)
      : undefined,
  };
}

function halved(size: number): number {
  return Math.floor(size / 2 / sizeStep) * sizeStep;
}

/** Reads crm.offers to its end (read_committed, not timed) for the records keyed by the campaign id. */
async function campaignRecordBytes(
  options: CampaignSearchOptions,
  campaignId: string,
): Promise<CampaignRecordBytes> {
  const end = await options.offsets.end(options.offersTopic);
  const records = await readTopic(options.endpoints.kafkaBrokers, options.offersTopic, {
    until: (seen) => seen.length >= end,
    timeoutMs: 300_000,
  });
  const bytes = { created: 0, parts: [] as number[] };
  for (const record of records) {
    if (record.key !== campaignId || record.value === null) continue;
    const size = Buffer.byteLength(record.value);
    if (record.value.includes('"type":"crm.v1.CampaignCreated"')) bytes.created = size;
    else if (record.value.includes('"type":"crm.v1.CampaignTargetsFrozen"')) bytes.parts.push(size);
  }
  return bytes;
}
