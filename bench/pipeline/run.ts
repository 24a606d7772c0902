import { acquireInfra } from "../shared/bench-infra.js";
import { writeBenchmarkSection } from "../shared/benchmarks-doc.js";
import { loadAverage, machineFacts, oneMinuteLoad } from "../shared/machine.js";
import { logToStderr } from "../shared/progress.js";
import { parsePipelineBenchOptions } from "./options.js";
import { measurePipelinePhase } from "./pipeline-phase.js";
import {
  type PipelineBenchReport,
  type PipelineMeasurement,
  pipelineJsonSummary,
} from "./pipeline-summary.js";
import { durationText } from "./pipeline-watch.js";
import { pipelineSection, resultsText } from "./report.js";
import { pipelineWorkload } from "./workload.js";

/** The code this benchmark runs: uncommitted changes there are noted next to the commit. */
const measuredCode = ["services/*/src", "packages/*/src", "bench"];
export const pipelineSectionName = "pipeline";

/** Runs the pipeline benchmark, prints the figures and writes them to docs/benchmarks.md. */
export async function runPipelineBenchmark(args: readonly string[]): Promise<void> {
  const options = parsePipelineBenchOptions(args);
  const log = logToStderr;
  const startedAt = new Date();
  const loadBefore = loadAverage();
  log(`Pipeline benchmark: load average ${loadBefore} on ${machineFacts(measuredCode).cores} cores`);
  const infra = await acquireInfra(log);
  let main: PipelineMeasurement | undefined;
  let scale: PipelineMeasurement | undefined;
  try {
    const measure = async (kind: string, customers: number, withFreshness: boolean) => {
      const began = performance.now();
      log(
        `${kind === "main" ? "The pipeline" : "At a larger population"}: ${options.events.toLocaleString("en")} events of ` +
          `${customers.toLocaleString("en")} people (load ${oneMinuteLoad()}):`,
      );
      const workload = pipelineWorkload({
        events: options.events,
        customers,
        seed: options.seed,
        now: new Date(),
      });
      const load = oneMinuteLoad();
      const figures = await measurePipelinePhase({
        endpoints: infra.endpoints,
        watched: { ...infra.processes, bench: process.pid },
        kind,
        workload,
        stallMs: options.stallMinutes * 60_000,
        freshness: withFreshness
          ? {
              rate: options.freshnessRate,
              seconds: options.freshnessSeconds,
              samples: options.freshnessSamples,
              waitSeconds: options.freshnessWaitSeconds,
            }
          : undefined,
        log,
      });
      log(`  (${durationText((performance.now() - began) / 1000)} in all)`);
      const { deliveries, ...facts } = workload;
      return { load, workload: { ...facts, events: deliveries.length }, figures };
    };
    main = await measure("main", options.customers, !options.skipFreshness);
    if (!options.skipScale) scale = await measure("scale", options.scaleCustomers, false);
  } finally {
    log("Stopping…");
    await infra.stop();
  }

  const report: PipelineBenchReport = {
    startedAt,
    command: ["npm run bench -w @rapport/bench -- pipeline", ...args].join(" "),
    machine: machineFacts(measuredCode),
    loadBefore,
    loadAfter: loadAverage(),
    infra: infra.description,
    options,
    main,
    scale,
  };
  const table = `\n${resultsText(report)}\n`;
  if (options.json) {
    log(table);
    console.log(JSON.stringify(pipelineJsonSummary(report)));
  } else {
    console.log(table);
  }
  if (options.write) {
    const path = await writeBenchmarkSection(pipelineSectionName, pipelineSection(report));
    log(`Wrote the "Pipeline" section of ${path}`);
  }
}
