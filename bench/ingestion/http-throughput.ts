import { crmTopics } from "@rapport/events";
import type { BenchEndpoints } from "../shared/bench-infra.js";
import { type LatencySummary, latencySummary } from "../shared/percentiles.js";
import { coresUsed, cpuSnapshot, type WatchedProcesses } from "../shared/process-cpu.js";
import { type Log, sleep, throttled } from "../shared/progress.js";
import { removeRunData } from "../shared/run-cleanup.js";
import { freshRunNames } from "../shared/run-names.js";
import { verifyEachEventOnce } from "../shared/verify-log.js";
import { runHttpLoad } from "./http-load.js";
import {
  benchSource,
  benchWriteKey,
  type IngestionProcess,
  startIngestionProcess,
} from "./ingestion-process.js";
import { type MonotonicWindow, monotonicMicros } from "./monotonic.js";
import { type Workload, withoutSource } from "./workload.js";

export type HttpThroughputOptions = {
  endpoints: BenchEndpoints;
  watched: WatchedProcesses;
  workload: Workload;
  /** Concurrent clients of the batch load. */
  clients: number;
  /** Events per batch request. */
  batchSize: number;
  /** Measured batch requests (after a warm-up of 10 sequential requests and 3 per client). */
  requests: number;
  /** Measured single-event requests from one client (after a warm-up of 20). */
  singleRequests: number;
  log: Log;
  cpuProfileDir?: string | undefined;
};

export type HttpThroughputResult = {
  requestsPerSecond: number;
  eventsPerSecond: number;
  batchLatencyMs: LatencySummary;
  singleLatencyMs: LatencySummary;
  /** CPU use during the batch load, in cores, by process. */
  cores: Record<string, number>;
  /** The batch load on the monotonic clock, for selecting CPU profile samples. */
  window: MonotonicWindow;
  /** From the last answer of the batch load until ingestion had appended all its events to crm.events. */
  drainSeconds: number;
};

const requestTimeoutMs = 30_000;
const drainTimeoutMs = 10 * 60_000;

/**
 * POST /v1/events against ingestion in its own process: K clients each sending batches of B events,
 * then one client sending one event per request. Every request must be answered 202; afterwards
 * crm.events must hold every event sent, once.
 */
export async function measureHttpThroughput(options: HttpThroughputOptions): Promise<HttpThroughputResult> {
  const { endpoints, log } = options;
  const names = freshRunNames("http", "ingestion");
  let nextEvent = 0;
  const sentIds: string[] = [];
  const bodies = (count: number, eventsPerBody: number) =>
    Array.from({ length: count }, () =>
      JSON.stringify(
        Array.from({ length: eventsPerBody }, () => {
          const { cloudEvent } = options.workload.event(nextEvent++);
          sentIds.push(`${benchSource}:${cloudEvent.id}`);
          return withoutSource(cloudEvent);
        }),
      ),
    );
  const sequentialWarmUp = bodies(10, options.batchSize);
  const warmUp = bodies(3 * options.clients, options.batchSize);
  const batches = bodies(options.requests, options.batchSize);
  const singleWarmUp = bodies(20, 1);
  const singles = bodies(options.singleRequests, 1);

  const service = await startIngestionProcess({ endpoints, names, cpuProfileDir: options.cpuProfileDir });
  const watched = { ...options.watched, ingestion: service.pid };
  try {
    const load = (sent: readonly string[], clients: number, what: string) => {
      const progress = throttled(log);
      return runHttpLoad({
        url: `${service.baseUrl}/v1/events`,
        headers: { authorization: `Bearer ${benchWriteKey}`, "content-type": "application/json" },
        bodies: sent,
        clients,
        requestTimeoutMs,
        onAnswer: (answered) => progress(`  ${what}: ${answered} / ${sent.length} requests answered`),
      });
    };
    const expectAllAccepted = (statuses: Map<number, number>, what: string) => {
      const other = [...statuses].filter(([status]) => status !== 202);
      if (other.length > 0) {
        throw new Error(
          `${what}: every request should be answered 202, got ${JSON.stringify(other)}\n` +
            `--- ingestion's output ---\n${service.output().slice(-4_000)}`,
        );
      }
    };

    // The first requests come one at a time, then a few per client, so that connection set-up and the
    // first metadata fetches are not part of the figures.
    expectAllAccepted((await load(sequentialWarmUp, 1, "sequential warm-up")).statuses, "sequential warm-up");
    expectAllAccepted((await load(warmUp, options.clients, "warm-up")).statuses, "warm-up");
    const before = cpuSnapshot(watched);
    const startUs = monotonicMicros();
    const batch = await load(
      batches,
      options.clients,
      `${options.clients} clients × ${options.batchSize} events`,
    );
    const window = { startUs, endUs: monotonicMicros() };
    const after = cpuSnapshot(watched);
    expectAllAccepted(batch.statuses, "batch load");
    // The single-event requests start once the raw-topic consumer has caught up with the batches.
    const batchEvents = (sequentialWarmUp.length + warmUp.length + batches.length) * options.batchSize;
    const drainSeconds = await waitUntilAppended(service, batchEvents, log);

    expectAllAccepted((await load(singleWarmUp, 1, "single-event warm-up")).statuses, "single-event warm-up");
    const single = await load(singles, 1, "1 client × 1 event");
    expectAllAccepted(single.statuses, "single-event load");
    await waitUntilAppended(service, sentIds.length, log);
    await verifyEachEventOnce(endpoints, crmTopics(names.prefix).events, sentIds);
    return {
      requestsPerSecond: options.requests / batch.wallSeconds,
      eventsPerSecond: (options.requests * options.batchSize) / batch.wallSeconds,
      batchLatencyMs: latencySummary(batch.latenciesMs),
      singleLatencyMs: latencySummary(single.latenciesMs),
      cores: coresUsed(before, after),
      window,
      drainSeconds,
    };
  } finally {
    await service.stop();
    await removeRunData(endpoints, { prefix: names.prefix, databases: [names.database] });
  }
}

async function waitUntilAppended(service: IngestionProcess, expected: number, log: Log): Promise<number> {
  const startMs = performance.now();
  const progress = throttled(log);
  for (;;) {
    const counters = await service.counters();
    if (counters.rejected > 0) throw new Error(`${counters.rejected} events were rejected`);
    if (counters.appended >= expected) return (performance.now() - startMs) / 1000;
    if (performance.now() - startMs > drainTimeoutMs) {
      throw new Error(`only ${counters.appended} of ${expected} accepted events were appended in time`);
    }
    progress(`  appended ${counters.appended} / ${expected} accepted events`);
    await sleep(100);
  }
}
