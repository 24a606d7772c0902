import { type ServiceError, status } from "@grpc/grpc-js";
import { callUnary } from "@rapport/grpc";
import {
  type CustomerServiceClient,
  type GetSegmentReportResponse,
  IdentifierType,
  type IdentityServiceClient,
  type IdentityStats,
} from "@rapport/proto";
import { awaitQuiet, type ConsumerReading, type PlatformMetrics, readConsumers } from "./platform-quiet.js";
import { pollUntil } from "./poll.js";
import type { ProgressOutput } from "./progress-line.js";

// GetSegmentReport reads every customer: on a busy machine that takes a while.
const reportDeadlineMs = 5 * 60_000;

export type Platform = { identity: IdentityServiceClient; scoring: CustomerServiceClient };

type Output = ProgressOutput;

const won = (minor: number) => `${Math.round(minor / 1_000_000).toLocaleString("en")}M KRW`;

function revenueOf(report: GetSegmentReportResponse): number {
  return report.tiers.reduce((sum, tier) => sum + tier.revenueMinor, 0);
}

/** One look that may find the service too busy to answer in time: the poll looks again later. */
async function whenAnswered<T>(ask: () => Promise<T>): Promise<T | undefined> {
  try {
    return await ask();
  } catch (error) {
    const code = (error as Partial<ServiceError>).code;
    if (code === status.DEADLINE_EXCEEDED || code === status.UNAVAILABLE) return undefined;
    throw error;
  }
}

/** A segment report, or undefined when scoring was too busy to answer in time (the poll looks again). */
function segmentReport(platform: Platform): Promise<GetSegmentReportResponse | undefined> {
  return whenAnswered(() =>
    callUnary(platform.scoring, platform.scoring.getSegmentReport, {}, reportDeadlineMs),
  );
}

/**
 * The revenue of every order scoring has folded so far (earlier demo runs on the same platform included).
 * A platform still folding an earlier run may answer late: it asks again until the timeout.
 */
export async function foldedRevenue(platform: Platform, timeoutMs: number, output: Output): Promise<number> {
  return pollUntil({
    what: "asking scoring what it has folded before",
    timeoutMs,
    output,
    look: async () => {
      const report = await segmentReport(platform);
      if (!report) return { done: false, state: 0, progress: "scoring did not answer in time" };
      const revenue = revenueOf(report);
      return { done: true, state: revenue, progress: `${won(revenue)} in orders` };
    },
  });
}

/** The customer identity resolves this identifier to, or undefined when nobody holds it. */
export async function customerHolding(
  identity: IdentityServiceClient,
  identifier: { type: IdentifierType; value: string },
): Promise<string | undefined> {
  try {
    const { customerId } = await callUnary(identity, identity.resolve, { identifiers: [identifier] }, 60_000);
    return customerId;
  } catch (error) {
    if ((error as Partial<ServiceError>).code === status.NOT_FOUND) return undefined;
    throw error;
  }
}

/** Whether identity holds this customer number: a company of the same seed was sent to this platform. */
export async function knowsCustomerNumber(platform: Platform, value: string): Promise<boolean> {
  const identifier = { type: IdentifierType.IDENTIFIER_TYPE_CUSTOMER_NUMBER, value };
  return (await customerHolding(platform.identity, identifier)) !== undefined;
}

/** Identity's counts: it reads every customer, so it may take a while on a busy machine. */
export async function identityStats(platform: Platform): Promise<IdentityStats> {
  const { stats } = await callUnary(platform.identity, platform.identity.getIdentityStats, {}, 10 * 60_000);
  if (!stats) throw new Error("identity answered GetIdentityStats without stats");
  return stats;
}

/**
 * Waits until scoring has folded every order the demo sent: the platform is quiet (every service has
 * handled what reached it) and scoring's revenue reaches the company's. One segment report, once the
 * platform is quiet.
 */
export async function awaitFoldedRevenue(input: {
  platform: Platform;
  metrics: PlatformMetrics;
  before: ConsumerReading;
  expectedRevenueMinor: number;
  timeoutMs: number;
  output: Output;
}): Promise<void> {
  await awaitQuiet({
    metrics: input.metrics,
    before: input.before,
    pickedUpBy: "ingestion",
    what: "waiting for ingestion, identity, scoring and offer",
    timeoutMs: input.timeoutMs,
    output: input.output,
  });
  await pollUntil({
    what: "scoring's revenue",
    timeoutMs: input.timeoutMs,
    output: input.output,
    look: async () => {
      const report = await segmentReport(input.platform);
      if (!report) return { done: false, state: undefined, progress: "scoring did not answer in time" };
      const revenue = revenueOf(report);
      const customers = report.customerBase?.unique ?? 0;
      return {
        done: revenue >= input.expectedRevenueMinor,
        state: undefined,
        progress: `scoring has folded ${won(revenue)} of ${won(input.expectedRevenueMinor)} in orders, ${customers.toLocaleString("en")} customers`,
      };
    },
  });
}

/**
 * Fits the population model now (RFM quintiles, the grid's thresholds, BG/NBD and Gamma-Gamma) and waits
 * until scoring has rescored the customers with it (the rescoring it asked itself for on crm.scoring is
 * handled, and what it changed has reached offer); answers the model and how many are in the grid.
 */
export async function refitAndAwaitGrid(input: {
  platform: Platform;
  metrics: PlatformMetrics;
  timeoutMs: number;
  output: Output;
}) {
  const before = await readConsumers(input.metrics);
  const { model } = await callUnary(
    input.platform.scoring,
    input.platform.scoring.refitModels,
    { asOf: "" },
    10 * 60_000,
  );
  await awaitQuiet({
    metrics: input.metrics,
    before,
    pickedUpBy: "scoring",
    what: "rescoring every customer with the fitted model",
    timeoutMs: input.timeoutMs,
    output: input.output,
  });
  const report = await segmentReport(input.platform);
  const inGrid = (report?.grid ?? []).reduce((sum, cell) => sum + (cell.figures?.customers ?? 0), 0);
  input.output.write(
    `  ${inGrid.toLocaleString("en")} customers in the segment grid (model ${model?.modelId ?? "?"})\n`,
  );
  return model;
}
