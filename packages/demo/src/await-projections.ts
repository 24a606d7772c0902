import type {
  CustomerServiceClient,
  GetSegmentReportResponse,
  IdentityServiceClient,
  IdentityStats,
} from "@rapport/proto";
import { pollUntil } from "./poll.js";
import { unary } from "./unary.js";

export type Platform = { identity: IdentityServiceClient; scoring: CustomerServiceClient };

type Output = NodeJS.WritableStream & { isTTY?: boolean };

const won = (minor: number) => `${Math.round(minor / 1_000_000).toLocaleString("en")}M KRW`;

function revenueOf(report: GetSegmentReportResponse): number {
  return report.tiers.reduce((sum, tier) => sum + tier.revenueMinor, 0);
}

async function identityStats(platform: Platform): Promise<IdentityStats> {
  const { stats } = await unary(platform.identity, platform.identity.getIdentityStats, {});
  if (!stats) throw new Error("identity answered GetIdentityStats without stats");
  return stats;
}

/**
 * Waits until scoring has folded every order the demo sent (its revenue reaches the company's) and the
 * counts of customers have stopped changing over several looks (identity's merges reach scoring last).
 */
export async function awaitFoldedRevenue(
  platform: Platform,
  expectedRevenueMinor: number,
  timeoutMs: number,
  output: Output,
): Promise<void> {
  let previous = "";
  let unchangedLooks = 0;
  await pollUntil({
    what: "waiting for identity and scoring",
    timeoutMs,
    output,
    look: async () => {
      const [report, stats] = await Promise.all([
        unary(platform.scoring, platform.scoring.getSegmentReport, {}),
        identityStats(platform),
      ]);
      const revenue = revenueOf(report);
      const counts = `${stats.uniqueCustomers}/${report.customerBase?.unique ?? 0}`;
      unchangedLooks = counts === previous ? unchangedLooks + 1 : 0;
      previous = counts;
      return {
        done: revenue >= expectedRevenueMinor && unchangedLooks >= 3,
        state: undefined,
        progress:
          `scoring has folded ${won(revenue)} of ${won(expectedRevenueMinor)} in orders; ` +
          `identity ${stats.uniqueCustomers.toLocaleString("en")} customers from ${stats.sourceRecords.toLocaleString("en")} records, ` +
          `scoring ${(report.customerBase?.unique ?? 0).toLocaleString("en")} customers`,
      };
    },
  });
}

/**
 * Fits the population model now (RFM quintiles, the grid's thresholds, BG/NBD and Gamma-Gamma) and waits
 * until scoring has rescored the customers with it: the grid stops growing.
 */
export async function refitAndAwaitGrid(platform: Platform, timeoutMs: number, output: Output) {
  const { model } = await unary(platform.scoring, platform.scoring.refitModels, {}, 10 * 60_000);
  let previous = -1;
  let unchangedLooks = 0;
  return pollUntil({
    what: "rescoring every customer with the fitted model",
    timeoutMs,
    output,
    look: async () => {
      const report = await unary(platform.scoring, platform.scoring.getSegmentReport, {});
      const inGrid = report.grid.reduce((sum, cell) => sum + (cell.figures?.customers ?? 0), 0);
      unchangedLooks = inGrid === previous && inGrid > 0 ? unchangedLooks + 1 : 0;
      previous = inGrid;
      return {
        done: unchangedLooks >= 3,
        state: { model, report },
        progress: `${inGrid.toLocaleString("en")} customers in the segment grid (model ${model?.modelId ?? "?"})`,
      };
    },
  });
}
