import { acquireInfra } from "../shared/bench-infra.js";
import { writeBenchmarkSection } from "../shared/benchmarks-doc.js";
import { loadAverage, machineFacts, oneMinuteLoad } from "../shared/machine.js";
import { logToStderr } from "../shared/progress.js";
import { journeyPopulation } from "./customer-journeys.js";
import type { IdentityBenchReport } from "./identity-bench-report.js";
import { type IdentityRunResult, measureIdentityRun } from "./identity-run.js";
import { parseIdentityBenchOptions } from "./options.js";
import { figuresTable, identityThroughputSection } from "./report.js";

/** The code this benchmark runs: uncommitted changes there are noted next to the commit. */
const measuredCode = ["services/identity/src", "packages/*/src", "bench"];
export const identityThroughputSectionName = "identity-throughput";

/** Runs the identity throughput benchmark, prints the figures and writes them to docs/benchmarks.md. */
export async function runIdentityThroughputBenchmark(args: readonly string[]): Promise<void> {
  const options = parseIdentityBenchOptions(args);
  const log = logToStderr;
  const startedAt = new Date();
  const loadBefore = loadAverage();
  log(
    `Identity throughput benchmark: load average ${loadBefore} on ${machineFacts(measuredCode).cores} cores`,
  );
  const infra = await acquireInfra(log);
  const runs: { load: number; result: IdentityRunResult }[] = [];
  try {
    for (let run = 1; run <= options.runs; run++) {
      const load = oneMinuteLoad();
      log(`crm.events → identity → crm.events.resolved, run ${run}/${options.runs} (load ${load}):`);
      const result = await measureIdentityRun({
        endpoints: infra.endpoints,
        watched: { ...infra.processes, bench: process.pid },
        journeys: journeyPopulation(options.events, `run${run}`),
        events: options.events,
        busyEvents: options.busyEvents,
        instances: options.instances,
        clients: options.clients,
        calls: options.calls,
        storeBuckets: options.storeBuckets,
        consumerConcurrency: options.consumerConcurrency,
        log,
      });
      runs.push({ load, result });
    }
  } finally {
    log("Stopping…");
    await infra.stop();
  }

  const report: IdentityBenchReport = {
    startedAt,
    command: ["npm run bench -w @rapport/bench -- identity-throughput", ...args].join(" "),
    machine: machineFacts(measuredCode),
    loadBefore,
    loadAfter: loadAverage(),
    infra: infra.description,
    options,
    runs,
  };
  console.log(`\n${figuresTable(report)}\n`);
  if (options.write) {
    const path = await writeBenchmarkSection(
      identityThroughputSectionName,
      identityThroughputSection(report),
    );
    log(`Wrote the "Identity throughput" section of ${path}`);
  }
}
