import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acquireInfra } from "../shared/bench-infra.js";
import { writeBenchmarkSection } from "../shared/benchmarks-doc.js";
import { loadAverage, machineFacts, oneMinuteLoad } from "../shared/machine.js";
import { logToStderr } from "../shared/progress.js";
import { type ProfileSummary, summariseCpuProfile } from "./cpu-profile.js";
import { type HttpThroughputResult, measureHttpThroughput } from "./http-throughput.js";
import type { MonotonicWindow } from "./monotonic.js";
import { parseIngestionBenchOptions } from "./options.js";
import { measureRawThroughput, type RawThroughputResult } from "./raw-throughput.js";
import { figuresTable, type IngestionBenchReport, ingestionSection, type Profiles } from "./report.js";
import { createWorkload } from "./workload.js";

const workloadSeed = 20_260_301;
/** The code this benchmark runs: uncommitted changes there are noted next to the commit. */
const measuredCode = ["services/ingestion/src", "packages/*/src", "bench"];
const customers = 20_000;

/** Runs the ingestion benchmark, prints the figures and writes them to docs/benchmarks.md. */
export async function runIngestionBenchmark(args: readonly string[]): Promise<void> {
  const options = parseIngestionBenchOptions(args);
  const log = logToStderr;
  const startedAt = new Date();
  const loadBefore = loadAverage();
  log(`Ingestion benchmark: load average ${loadBefore} on ${machineFacts(measuredCode).cores} cores`);
  const infra = await acquireInfra(log);
  const watched = { ...infra.processes, bench: process.pid };
  const workload = (run: string) => createWorkload({ seed: workloadSeed, idPrefix: run, customers });
  const raw: { load: number; result: RawThroughputResult }[] = [];
  const http: { load: number; result: HttpThroughputResult }[] = [];
  let profiles: Profiles | undefined;
  try {
    for (let run = 1; run <= options.runs; run++) {
      const load = oneMinuteLoad();
      log(`Raw topics → crm.events, run ${run}/${options.runs} (load ${load}):`);
      const result = await measureRawThroughput({
        endpoints: infra.endpoints,
        watched,
        workload: workload(`raw${run}`),
        events: options.events,
        log,
      });
      raw.push({ load, result });
    }
    for (let run = 1; run <= options.runs; run++) {
      const load = oneMinuteLoad();
      log(`HTTP POST /v1/events, run ${run}/${options.runs} (load ${load}):`);
      const result = await measureHttpThroughput({
        endpoints: infra.endpoints,
        watched,
        workload: workload(`http${run}`),
        clients: options.clients,
        batchSize: options.batchSize,
        requests: options.requests,
        singleRequests: options.singleRequests,
        log,
      });
      http.push({ load, result });
    }
    if (options.profile) {
      log("Profiled run (node --cpu-prof; not counted in the figures): raw topics → crm.events");
      const rawProfile = await profiled((cpuProfileDir) =>
        measureRawThroughput({
          endpoints: infra.endpoints,
          watched,
          workload: workload("raw-profiled"),
          events: options.events,
          log,
          cpuProfileDir,
        }),
      );
      log("Profiled run (node --cpu-prof; not counted in the figures): HTTP POST /v1/events");
      const httpProfile = await profiled((cpuProfileDir) =>
        measureHttpThroughput({
          endpoints: infra.endpoints,
          watched,
          workload: workload("http-profiled"),
          clients: options.clients,
          batchSize: options.batchSize,
          requests: options.requests,
          singleRequests: options.singleRequests,
          log,
          cpuProfileDir,
        }),
      );
      profiles = { raw: rawProfile, http: httpProfile };
    }
  } finally {
    log("Stopping…");
    await infra.stop();
  }

  const report: IngestionBenchReport = {
    startedAt,
    command: ["npm run bench -w @rapport/bench -- ingestion", ...args].join(" "),
    machine: machineFacts(measuredCode),
    loadBefore,
    loadAfter: loadAverage(),
    infra: infra.description,
    options,
    raw,
    http,
    profiles,
  };
  console.log(`\n${figuresTable(report)}\n`);
  if (options.write) {
    const path = await writeBenchmarkSection("ingestion", ingestionSection(report));
    log(`Wrote the "Ingestion" section of ${path}`);
  }
}

/** Runs a measurement with the ingestion process under node --cpu-prof and summarises its window. */
async function profiled(
  measure: (cpuProfileDir: string) => Promise<{ window: MonotonicWindow }>,
): Promise<ProfileSummary> {
  const dir = await mkdtemp(join(tmpdir(), "rapport-bench-profile-"));
  try {
    const { window } = await measure(dir);
    // tsx's module loader runs on a worker thread, which writes a profile of its own: take the one
    // with samples in the window.
    for (const file of (await readdir(dir)).filter((name) => name.endsWith(".cpuprofile"))) {
      const summary = summariseCpuProfile(join(dir, file), window);
      if (summary) return summary;
    }
    throw new Error(`no CPU profile in ${dir} has samples in the measured window`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
