import type { ServiceError } from "@grpc/grpc-js";
import { callUnary } from "@rapport/grpc";
import {
  type Campaign,
  ContactChannel,
  type GetCampaignTargetsResponse,
  type OfferServiceClient,
} from "@rapport/proto";
import { coresUsed, cpuSnapshot, type WatchedProcesses } from "../shared/process-cpu.js";
import { type Log, sleep, throttled } from "../shared/progress.js";
import type { ScoringStandIn } from "./scoring-stand-in.js";
import type { TopicOffsets } from "./topic-offsets.js";

export type CampaignChannel = "phone" | "email";

export type CampaignPhaseOptions = {
  client: OfferServiceClient;
  offsets: TopicOffsets;
  /** crm.offers of the run, and the offer service's consumer group. */
  offersTopic: string;
  consumerGroup: string;
  standIn: ScoringStandIn;
  campaignId: string;
  offerId: string;
  channel: CampaignChannel;
  /** Customers the stand-in streams (the whole audience: the list is unfiltered). */
  audience: number;
  holdoutPercent: number;
  /** A CreateCampaign that takes longer is cut off and reported as such. */
  deadlineMs: number;
  watched: WatchedProcesses;
  /** The end of what the offer process wrote (it logs errors only): why a campaign failed. */
  serviceOutput: () => string;
  log: Log;
};

/** Seconds after the CreateCampaign call went out (undefined: not seen). */
export type CampaignTimeline = {
  /** The stand-in got the StreamCustomers call, and wrote the last customer. */
  streamStart: number | undefined;
  streamEnd: number | undefined;
  /** crm.offers grew for the first time and for the last time (polled every 250 ms). */
  publishStart: number | undefined;
  publishEnd: number | undefined;
  answer: number;
};

export type CampaignFigures = {
  channel: CampaignChannel;
  offerId: string;
  audience: number;
  /** CreateCampaign's wall time, call to answer; on failure, until the error. */
  createSeconds: number;
  timeline: CampaignTimeline;
  /** Why CreateCampaign failed (gRPC code and details); undefined when it answered. */
  failure: string | undefined;
  /** What the offer service logged while the campaign was built (errors only). */
  serviceLog: string;
  treatmentTargets: number;
  holdoutTargets: number;
  exclusions: { reason: string; customers: number }[];
  /** Records the campaign added to crm.offers (CampaignCreated, target parts, presentations). */
  recordsPublished: number;
  /** From the answer to the first page (100 targets) of GetCampaignTargets. */
  firstPageSeconds: number | undefined;
  /** Reading every target of both groups, 1,000 per page, and how many came. */
  fullListSeconds: number | undefined;
  targetsRead: number;
  /** Targets read without the campaign channel's address (no phone number for a call, no email for an email). */
  targetsWithoutAddress: number;
  /** From the answer until the offer service's consumer had folded every record on crm.offers. */
  consumerCaughtUpSeconds: number | undefined;
  cores: Record<string, number>;
};

const protoChannels: Record<CampaignChannel, ContactChannel> = {
  phone: ContactChannel.CONTACT_CHANNEL_PHONE,
  email: ContactChannel.CONTACT_CHANNEL_EMAIL,
};
const pollIntervalMs = 250;
const pageDeadlineMs = 120_000;
const catchUpTimeoutMs = 600_000;

/**
 * Creates a campaign for the whole audience (no list filters, no target limit) and times it from
 * outside: the stand-in notes when the audience stream starts and ends, crm.offers' end offsets show
 * when publishing starts and ends. Then the first page of targets, the whole list, and the time until
 * the offer service's own consumer has folded the campaign's records.
 */
export async function measureCampaign(options: CampaignPhaseOptions): Promise<CampaignFigures> {
  const { offsets, offersTopic, standIn, log } = options;
  const progress = throttled(log);
  const offersBefore = await offsets.end(offersTopic);
  const streamsBefore = standIn.streams().length;
  const streamedBefore = standIn.streamedCustomers();
  const before = cpuSnapshot(options.watched);
  const outputBefore = options.serviceOutput();
  const startMs = performance.now();
  const since = (ms: number) => (ms - startMs) / 1000;
  const created = callUnary(
    options.client,
    options.client.createCampaign,
    {
      campaignId: options.campaignId,
      name: `Benchmark ${options.channel} campaign`,
      offerId: options.offerId,
      channel: protoChannels[options.channel],
      audience: { tiers: [], lifecycleStages: [], rfmSegments: [], segmentCells: [], maxTargets: 0 },
      holdoutPercent: options.holdoutPercent,
      measurementDays: 30,
    },
    options.deadlineMs,
  ).then(
    (response) => ({ campaign: response.campaign as Campaign, error: undefined }),
    (error: ServiceError) => ({ campaign: undefined, error }),
  );

  let outcome: Awaited<typeof created> | undefined;
  void created.then((settled) => {
    outcome = settled;
  });
  let publishStart: number | undefined;
  let publishEnd: number | undefined;
  let published = offersBefore;
  while (outcome === undefined) {
    await Promise.race([created, sleep(pollIntervalMs)]);
    const end = await offsets.end(offersTopic);
    if (end > published) {
      publishStart ??= performance.now();
      publishEnd = performance.now();
      published = end;
    }
    progress(
      `  CreateCampaign (${options.channel}) running ${since(performance.now()).toFixed(0)} s: stand-in streamed ` +
        `${(standIn.streamedCustomers() - streamedBefore).toLocaleString("en")} / ${options.audience.toLocaleString("en")} ` +
        `customers; ${(published - offersBefore).toLocaleString("en")} records on crm.offers`,
    );
  }
  const answerMs = performance.now();
  const after = cpuSnapshot(options.watched);
  if (outcome.error) await loggedFailure(options.serviceOutput);
  const offersAfter = await offsets.end(offersTopic);
  const stream = standIn.streams()[streamsBefore];
  const timeline: CampaignTimeline = {
    streamStart: stream && since(stream.startMs),
    streamEnd: stream && since(stream.endMs),
    publishStart: publishStart && since(publishStart),
    publishEnd: publishEnd && since(publishEnd),
    answer: since(answerMs),
  };
  const base = {
    channel: options.channel,
    offerId: options.offerId,
    audience: options.audience,
    createSeconds: since(answerMs),
    timeline,
    recordsPublished: offersAfter - offersBefore,
    cores: coresUsed(before, after),
    serviceLog: newOutput(outputBefore, options.serviceOutput()),
  };
  const { campaign, error } = outcome;
  if (!campaign) {
    const failure = `code ${error?.code}: ${error?.details}`;
    log(`  CreateCampaign failed after ${base.createSeconds.toFixed(1)} s: ${failure}`);
    return {
      ...base,
      failure,
      treatmentTargets: 0,
      holdoutTargets: 0,
      exclusions: [],
      firstPageSeconds: undefined,
      fullListSeconds: undefined,
      targetsRead: 0,
      targetsWithoutAddress: 0,
      consumerCaughtUpSeconds: undefined,
    };
  }
  log(
    `  CreateCampaign (${options.channel}) answered in ${base.createSeconds.toFixed(1)} s: ` +
      `${campaign.treatmentTargets.toLocaleString("en")} treatment, ${campaign.holdoutTargets.toLocaleString("en")} holdout`,
  );

  // Watched from the answer on, while the targets are read.
  const caughtUp = consumerCaughtUp(options, progress);
  caughtUp.catch(() => undefined); // awaited below; a failure meanwhile must not go unhandled
  const firstPage = await targetsPage(options, "treatment", 100, "");
  const firstPageSeconds = (performance.now() - answerMs) / 1000;
  if (firstPage.targets.length !== Math.min(100, campaign.treatmentTargets))
    throw new Error(
      `the first page holds ${firstPage.targets.length} targets of ${campaign.treatmentTargets}`,
    );
  const listStartMs = performance.now();
  let targetsRead = 0;
  let targetsWithoutAddress = 0;
  for (const group of ["treatment", "holdout"] as const) {
    for (let token = ""; ; ) {
      const page = await targetsPage(options, group, 1_000, token);
      targetsRead += page.targets.length;
      targetsWithoutAddress += page.targets.filter((target) =>
        options.channel === "phone" ? target.phone === "" : target.email === "",
      ).length;
      progress(`  GetCampaignTargets: ${targetsRead.toLocaleString("en")} targets read`);
      token = page.nextPageToken;
      if (token === "") break;
    }
  }
  const fullListSeconds = (performance.now() - listStartMs) / 1000;
  if (targetsRead !== campaign.treatmentTargets + campaign.holdoutTargets)
    throw new Error(
      `GetCampaignTargets gave ${targetsRead} targets, the campaign has ${campaign.treatmentTargets + campaign.holdoutTargets}`,
    );
  const caughtUpMs = await caughtUp;
  return {
    ...base,
    failure: undefined,
    treatmentTargets: campaign.treatmentTargets,
    holdoutTargets: campaign.holdoutTargets,
    exclusions: campaign.exclusions,
    firstPageSeconds,
    fullListSeconds,
    targetsRead,
    targetsWithoutAddress,
    consumerCaughtUpSeconds: (caughtUpMs - answerMs) / 1000,
  };
}

function targetsPage(
  options: CampaignPhaseOptions,
  group: "treatment" | "holdout",
  pageSize: number,
  pageToken: string,
): Promise<GetCampaignTargetsResponse> {
  return callUnary(
    options.client,
    options.client.getCampaignTargets,
    { campaignId: options.campaignId, group, pageSize, pageToken },
    pageDeadlineMs,
  );
}

/** When the offer service's committed offsets on crm.offers reached the topic's end (performance.now()). */
async function consumerCaughtUp(
  options: CampaignPhaseOptions,
  progress: (line: string) => void,
): Promise<number> {
  const { offsets, offersTopic, consumerGroup } = options;
  const target = await offsets.end(offersTopic);
  const deadline = performance.now() + catchUpTimeoutMs;
  for (;;) {
    const committed = await offsets.committed(consumerGroup, offersTopic);
    if (committed >= target) return performance.now();
    if (performance.now() > deadline)
      throw new Error(`the offer service's consumer is still at ${committed} of ${target} on ${offersTopic}`);
    progress(
      `  offer's consumer on crm.offers: ${committed.toLocaleString("en")} / ${target.toLocaleString("en")}`,
    );
    await sleep(pollIntervalMs);
  }
}

/** What the service wrote since `before` (its output is kept to its last 20,000 characters). */
function newOutput(before: string, now: string): string {
  if (now.startsWith(before)) return now.slice(before.length);
  const overlap = before.slice(-2_000);
  const at = overlap === "" ? -1 : now.lastIndexOf(overlap);
  return at < 0 ? now : now.slice(at + overlap.length);
}

const logWaitMs = 3_000;

/** Waits (up to 3 s) until the service's failed-handler line has come through its output pipe. */
async function loggedFailure(output: () => string): Promise<void> {
  const deadline = performance.now() + logWaitMs;
  while (!output().includes('"msg":"gRPC handler failed"') && performance.now() < deadline) await sleep(50);
}
