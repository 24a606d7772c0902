import { parseArgs } from "node:util";
import { positiveInteger } from "../shared/positive-integer.js";

export type IngestionBenchOptions = {
  /** Events pre-published to the raw topics per raw-throughput run. */
  events: number;
  runs: number;
  clients: number;
  batchSize: number;
  requests: number;
  singleRequests: number;
  /** One more run of each measurement with node --cpu-prof, summarised in the report, not counted. */
  profile: boolean;
  /** Write the section into docs/benchmarks.md (off: print only). */
  write: boolean;
};

export const ingestionBenchUsage = `npm run bench -w @rapport/bench -- ingestion [options]
  --events N           events pre-published to the raw topics per run (default 50000)
  --runs N             repetitions of each measurement (default 3)
  --clients K          concurrent HTTP clients (default 8)
  --batch B            events per HTTP batch request (default 100)
  --requests R         measured batch requests per run (default 300)
  --single-requests S  measured single-event requests per run (default 300)
  --no-profile         skip the extra profiled run (node --cpu-prof) behind "where the time goes"
  --no-write           print the results only; leave docs/benchmarks.md alone`;

export function parseIngestionBenchOptions(args: readonly string[]): IngestionBenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      events: { type: "string" },
      runs: { type: "string" },
      clients: { type: "string" },
      batch: { type: "string" },
      requests: { type: "string" },
      "single-requests": { type: "string" },
      "no-profile": { type: "boolean" },
      "no-write": { type: "boolean" },
    },
    strict: true,
  });
  const batchSize = positiveInteger("batch", values.batch, 100);
  if (batchSize > 1000) throw new Error("--batch is limited to 1000 (ingestion's MAX_EVENTS_PER_REQUEST)");
  return {
    events: positiveInteger("events", values.events, 50_000),
    runs: positiveInteger("runs", values.runs, 3),
    clients: positiveInteger("clients", values.clients, 8),
    batchSize,
    requests: positiveInteger("requests", values.requests, 300),
    singleRequests: positiveInteger("single-requests", values["single-requests"], 300),
    profile: !values["no-profile"],
    write: !values["no-write"],
  };
}
