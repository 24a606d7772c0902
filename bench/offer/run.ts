import { acquireInfra } from "../shared/bench-infra.js";
import { writeBenchmarkSection } from "../shared/benchmarks-doc.js";
import { loadAverage, machineFacts, oneMinuteLoad } from "../shared/machine.js";
import { logToStderr } from "../shared/progress.js";
import type { OfferBenchReport } from "./offer-bench-report.js";
import { measureOfferRun, type OfferRunResult } from "./offer-run.js";
import { parseOfferBenchOptions } from "./options.js";
import { figuresTable, offerSection } from "./report.js";

/** The code this benchmark runs: uncommitted changes there are noted next to the commit. */
const measuredCode = ["services/offer/src", "packages/*/src", "bench"];
export const offerSectionName = "offer";
const holdoutPercent = 10;

/** Runs the offer benchmark, prints the figures and writes them to docs/benchmarks.md. */
export async function runOfferBenchmark(args: readonly string[]): Promise<void> {
  const options = parseOfferBenchOptions(args);
  const log = logToStderr;
  const startedAt = new Date();
  const loadBefore = loadAverage();
  log(`Offer benchmark: load average ${loadBefore} on ${machineFacts(measuredCode).cores} cores`);
  const infra = await acquireInfra(log);
  const runs: { load: number; result: OfferRunResult }[] = [];
  try {
    for (let run = 1; run <= options.runs; run++) {
      const load = oneMinuteLoad();
      log(`Offer service: folding, GetNextBestOffers, campaigns; run ${run}/${options.runs} (load ${load}):`);
      const result = await measureOfferRun({
        endpoints: infra.endpoints,
        watched: { ...infra.processes, bench: process.pid },
        customers: options.customers,
        clients: options.clients,
        calls: options.calls,
        audience: options.audience,
        campaignFacts: options.campaignFacts,
        campaignChannels: options.campaignChannels,
        holdoutPercent,
        campaignDeadlineMs: options.campaignMinutes * 60_000,
        storeBuckets: options.storeBuckets,
        log,
      });
      runs.push({ load, result });
    }
  } finally {
    log("Stopping…");
    await infra.stop();
  }

  const report: OfferBenchReport = {
    startedAt,
    command: ["npm run bench -w @rapport/bench -- offer", ...args].join(" "),
    machine: machineFacts(measuredCode),
    loadBefore,
    loadAfter: loadAverage(),
    infra: infra.description,
    options,
    runs,
  };
  console.log(`\n${figuresTable(report)}\n`);
  if (options.write) {
    const path = await writeBenchmarkSection(offerSectionName, offerSection(report));
    log(`Wrote the "Offer" section of ${path}`);
  }
}
