import type { RunConditions } from "../shared/run-conditions.js";
import type { IdentityRunResult } from "./identity-run.js";
import type { IdentityBenchOptions } from "./options.js";

/** Everything one `bench identity-throughput` run measured, and under which conditions. */
export type IdentityBenchReport = RunConditions & {
  options: IdentityBenchOptions;
  /** Each run with the 1-minute load average at its start. */
  runs: { load: number; result: IdentityRunResult }[];
};
