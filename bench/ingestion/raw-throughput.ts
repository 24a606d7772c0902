import { crmTopics } from "@rapport/events";
import type { BenchEndpoints } from "../shared/bench-infra.js";
import { type CounterObservation, rateBetween } from "../shared/counter-timeline.js";
import { type CpuSnapshot, coresUsed, cpuSnapshot, type WatchedProcesses } from "../shared/process-cpu.js";
import { type Log, sleep, throttled } from "../shared/progress.js";
import { removeRunData } from "../shared/run-cleanup.js";
import { freshRunNames } from "../shared/run-names.js";
import { verifyEachEventOnce } from "../shared/verify-log.js";
import { type IngestionCounters, startIngestionProcess } from "./ingestion-process.js";
import { type MonotonicWindow, monotonicMicros } from "./monotonic.js";
import { publishRawEvents } from "./raw-publisher.js";
import type { Workload } from "./workload.js";

export type RawThroughputOptions = {
  endpoints: BenchEndpoints;
  /** Other processes whose CPU use is reported (the broker, FerretDB, this benchmark). */
  watched: WatchedProcesses;
  workload: Workload;
  events: number;
  log: Log;
  cpuProfileDir?: string | undefined;
};

export type RawThroughputResult = {
  eventsPerSecond: number;
  /** The rate over the first and the last quarter of the N appends (undefined when N is too small to tell). */
  firstQuarterEventsPerSecond: number | undefined;
  lastQuarterEventsPerSecond: number | undefined;
  /** From the first poll that saw an append to the poll that saw the last one. */
  windowSeconds: number;
  /** The same stretch on the monotonic clock, for selecting CPU profile samples. */
  window: MonotonicWindow;
  /** From spawning the process to the first poll that saw an append: start-up and consumer group join. */
  secondsToFirstAppend: number;
  /** CPU use during the window, in cores, by process. */
  cores: Record<string, number>;
};

type Poll = { counters: IngestionCounters; cpu: CpuSnapshot; atUs: number };

const pollIntervalMs = 100;
const consumeTimeoutMs = 20 * 60_000;

/**
 * Raw topics → crm.events: N events wait on the raw topics before ingestion starts; the figure is the
 * append rate from the first append until all N are appended, read from ingestion's
 * rapport_ingestion_events_appended_total counter every 100 ms. Afterwards a read_committed consumer
 * checks that crm.events holds each of the N ids exactly once.
 */
export async function measureRawThroughput(options: RawThroughputOptions): Promise<RawThroughputResult> {
  const { endpoints, events, log } = options;
  const names = freshRunNames("raw", "ingestion");
  const eventIds = await publishRawEvents(endpoints, names, options.workload, events, log);

  const spawnedMs = performance.now();
  const service = await startIngestionProcess({ endpoints, names, cpuProfileDir: options.cpuProfileDir });
  const watched = { ...options.watched, ingestion: service.pid };
  const progress = throttled(log);
  try {
    const poll = async (): Promise<Poll> => {
      const counters = await service.counters();
      return { counters, cpu: cpuSnapshot(watched), atUs: monotonicMicros() };
    };
    const timeline: CounterObservation[] = [];
    let first: Poll | undefined;
    let last: Poll | undefined;
    const deadline = performance.now() + consumeTimeoutMs;
    while (last === undefined) {
      if (performance.now() > deadline) {
        throw new Error(`not all ${events} events were appended within ${consumeTimeoutMs / 60_000} min`);
      }
      const current = await poll();
      const { appended, rejected, duplicates } = current.counters;
      if (appended > 0) {
        first ??= current;
        timeline.push({ atMs: current.cpu.atMs, count: appended });
      }
      if (appended + rejected + duplicates >= events) {
        last = current;
      } else {
        const rate = first && rateBetween(timeline, 1, appended);
        const soFar = rate ? ` (${Math.round(rate).toLocaleString("en")} events/s so far)` : "";
        progress(`  appended ${appended.toLocaleString("en")} / ${events.toLocaleString("en")}${soFar}`);
        await sleep(pollIntervalMs);
      }
    }
    if (first === undefined) throw new Error("no append was ever observed");
    if (last.counters.rejected > 0 || last.counters.duplicates > 0) {
      throw new Error(
        `the workload should be accepted whole, but ${last.counters.rejected} events were rejected and ` +
          `${last.counters.duplicates} counted as duplicates`,
      );
    }
    const windowSeconds = (last.cpu.atMs - first.cpu.atMs) / 1000;
    const quarter = Math.floor(events / 4);
    const result: RawThroughputResult = {
      eventsPerSecond: (last.counters.appended - first.counters.appended) / windowSeconds,
      firstQuarterEventsPerSecond: rateBetween(timeline, 1, quarter),
      lastQuarterEventsPerSecond: rateBetween(timeline, events - quarter, events),
      windowSeconds,
      window: { startUs: first.atUs, endUs: last.atUs },
      secondsToFirstAppend: (first.cpu.atMs - spawnedMs) / 1000,
      cores: coresUsed(first.cpu, last.cpu),
    };
    log(
      `  ${events.toLocaleString("en")} appended: ${Math.round(result.eventsPerSecond).toLocaleString("en")} events/s ` +
        `over ${windowSeconds.toFixed(1)} s (first quarter ${Math.round(result.firstQuarterEventsPerSecond ?? Number.NaN)}, ` +
        `last quarter ${Math.round(result.lastQuarterEventsPerSecond ?? Number.NaN)}); verifying crm.events…`,
    );
    await verifyEachEventOnce(endpoints, crmTopics(names.prefix).events, eventIds);
    return result;
  } finally {
    await service.stop();
    await removeRunData(endpoints, { prefix: names.prefix, databases: [names.database] });
  }
}
