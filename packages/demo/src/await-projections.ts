import { type ServiceError, status } from "@grpc/grpc-js";
import { callUnary } from "@rapport/grpc";
import {
  type CustomerServiceClient,
  type GetSegmentReportResponse,
  IdentifierType,
  type IdentityServiceClient,
  type IdentityStats,
} from "@rapport/proto";
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

/** Whether identity holds this customer number: a company of the same seed was sent to this platform. */
export async function knowsCustomerNumber(platform: Platform, value: string): Promise<boolean> {
  try {
    const identifiers = [{ type: IdentifierType.IDENTIFIER_TYPE_CUSTOMER_NUMBER, value }];
    await callUnary(platform.identity, platform.identity.resolve, { identifiers }, 60_000);
    return true;
  } catch (error) {
    if ((error as Partial<ServiceError>).code === status.NOT_FOUND) return false;
    throw error;
  }
}

/** Identity's counts: it reads every customer, so it may take a while on a busy machine. */
export async function identityStats(platform: Platform): Promise<IdentityStats> {
  const { stats } = await callUnary(platform.identity, platform.identity.getIdentityStats, {}, 10 * 60_000);
  if (!stats) throw new Error("identity answered GetIdentityStats without stats");
  return stats;
}

/**
 * Waits until scoring has folded every order the demo sent (its revenue reaches the company's) and its
 * count of customers has stopped changing over several looks (identity's merges reach scoring last).
 */
export async function awaitFoldedRevenue(
  platform: Platform,
  expectedRevenueMinor: number,
  timeoutMs: number,
  output: Output,
): Promise<void> {
  let previous = -1;
  let unchangedLooks = 0;
  let progress = "scoring has not answered yet";
  await pollUntil({
    what: "waiting for identity and scoring",
    timeoutMs,
    output,
    look: async () => {
      const report = await segmentReport(platform);
      if (!report) return { done: false, state: undefined, progress };
      const revenue = revenueOf(report);
      const customers = report.customerBase?.unique ?? 0;
      unchangedLooks = customers === previous ? unchangedLooks + 1 : 0;
      previous = customers;
      progress = `scoring has folded ${won(revenue)} of ${won(expectedRevenueMinor)} in orders, ${customers.toLocaleString("en")} customers`;
      return { done: revenue >= expectedRevenueMinor && unchangedLooks >= 3, state: undefined, progress };
    },
  });
}

/**
 * Fits the population model now (RFM quintiles, the grid's thresholds, BG/NBD and Gamma-Gamma) and waits
 * until scoring has rescored the customers with it: the grid stops growing.
 */
export async function refitAndAwaitGrid(platform: Platform, timeoutMs: number, output: Output) {
  const { model } = await callUnary(platform.scoring, platform.scoring.refitModels, {}, 10 * 60_000);
  let previous = -1;
  let unchangedLooks = 0;
  return pollUntil({
    what: "rescoring every customer with the fitted model",
    timeoutMs,
    output,
    look: async () => {
      const report = await segmentReport(platform);
      if (!report) return { done: false, state: model, progress: "scoring did not answer in time" };
      const inGrid = report.grid.reduce((sum, cell) => sum + (cell.figures?.customers ?? 0), 0);
      unchangedLooks = inGrid === previous && inGrid > 0 ? unchangedLooks + 1 : 0;
      previous = inGrid;
      return {
        done: unchangedLooks >= 3,
        state: model,
        progress: `${inGrid.toLocaleString("en")} customers in the segment grid (model ${model?.modelId ?? "?"})`,
      };
    },
  });
}
