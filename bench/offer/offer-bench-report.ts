import type { RunConditions } from "../shared/run-conditions.js";
import type { CampaignSearch } from "./campaign-search.js";
import type { OfferRunResult } from "./offer-run.js";
import type { OfferBenchOptions } from "./options.js";

/** Everything one `bench offer` run measured, and under which conditions. */
export type OfferBenchReport = RunConditions & {
  options: OfferBenchOptions;
  /** Each run with the 1-minute load average at its start. */
  runs: { load: number; result: OfferRunResult }[];
};

/** Each run's search for one channel's campaign (a run that did not build it has none). */
export function searchesOf(report: OfferBenchReport, channel: CampaignSearch["channel"]): CampaignSearch[] {
  return report.runs.flatMap(({ result }) => result.campaigns.filter((search) => search.channel === channel));
}
