import type { ServiceProcess } from "@rapport/testing";
import { cpuSnapshot, type WatchedProcesses } from "../shared/process-cpu.js";
import { type Log, sleep, throttled } from "../shared/progress.js";
import { drainCheck, type PipelinePoll, type PipelineTopicNames, stageCounts } from "./pipeline-figures.js";
import { type PipelineService, pipelineServices, type StartingPipeline } from "./pipeline-services.js";
import { type ServiceCounters, serviceCountersOf } from "./service-counters.js";
import type { TopicTail } from "./topic-tail.js";

const pollIntervalMs = 250;
const progressIntervalMs = 5_000;
/** The rate behind the ETA: over the last stretch of this length. */
const etaWindowMs = 30_000;

const notYetRead = { records: {}, atEnd: false };

/** How long a live service's /metrics may keep failing (a busy machine) before the run fails. */
const metricsFailureMs = 60_000;

/**
 * Reads every ready service's counters first (a service not ready yet has done nothing), then the
 * topics (see drainCheck; nothing before the tail reader runs), then the CPU use. Fails with
 * `failure()` once there is one (a service that did not start), at once when a service has exited,
 * and when a service's /metrics has failed for a minute; until then a failed read counts as its
 * previous reading (lower counts never make the pipeline look drained).
 */
export function pipelinePoller(
  pipeline: StartingPipeline,
  tail: () => TopicTail | undefined,
  watched: WatchedProcesses,
  failure: () => Error | undefined,
) {
  const previous: Partial<Record<PipelineService, ServiceCounters>> = {};
  const failingSince: Partial<Record<PipelineService, number>> = {};
  const countersOf = async (service: PipelineService, process: ServiceProcess | undefined) => {
    if (!process) return serviceCountersOf("");
    try {
      const counters = serviceCountersOf(await process.metrics());
      previous[service] = counters;
      delete failingSince[service];
      return counters;
    } catch (error) {
      failingSince[service] ??= performance.now();
      const since = failingSince[service];
      if (process.exitCode() !== null || performance.now() - since > metricsFailureMs) throw error;
      return previous[service] ?? serviceCountersOf("");
    }
  };
  return async (): Promise<PipelinePoll> => {
    const problem = failure();
    if (problem) throw problem;
    const ready = pipeline.readyServices();
    const counters = await Promise.all(
      pipelineServices.map((service) => countersOf(service, ready[service]?.process)),
    );
    const services = Object.fromEntries(
      pipelineServices.map((service, k) => [service, counters[k]]),
    ) as Record<PipelineService, ServiceCounters>;
    const reader = tail();
    const tailReading = reader ? await reader.read() : notYetRead;
    const pids = Object.fromEntries(
      Object.entries(ready).map(([service, { process }]) => [service, process.pid]),
    );
    return {
      atMs: performance.now(),
      services,
      tail: tailReading,
      cpu: cpuSnapshot({ ...watched, ...pids }),
    };
  };
}

export type WatchOptions = {
  poll: () => Promise<PipelinePoll>;
  topics: PipelineTopicNames;
  events: number;
  /** Fails when no count moves this long while the pipeline is not drained. */
  stallMs: number;
  log: Log;
};

/**
 * Polls every 250 ms until the pipeline has handled everything (drainCheck); returns every poll, the
 * last one drained. Progress on stderr every 5 s: each stage's count, the slowest stage's recent rate
 * and the time left at that rate. Fails when ingestion rejects or ignores events of the workload (they
 * would never reach the end) or when nothing moves for the stall time.
 */
export async function watchUntilDrained(options: WatchOptions): Promise<PipelinePoll[]> {
  const { topics, events, log } = options;
  const progress = throttled(log, progressIntervalMs);
  const polls: PipelinePoll[] = [];
  let lastMove = { atMs: performance.now(), fingerprint: "" };
  for (;;) {
    const poll = await options.poll();
    polls.push(poll);
    const check = drainCheck(poll, topics, events);
    if (check.drained) return polls;
    const { rejected, ignored } = poll.services.ingestion;
    if (rejected + ignored > 0) {
      throw new Error(
        `ingestion rejected ${rejected} and ignored ${ignored} events of the workload (their reasons are on crm.events.dlq and in rapport_ingestion_events_rejected_total): they would never reach the end of the pipeline; the workload (bench/pipeline/workload.ts) must send only events ingestion accepts`,
      );
    }
    const fingerprint = JSON.stringify([
      pipelineServices.map((service) => poll.services[service].consumed),
      poll.tail.records,
    ]);
    if (fingerprint !== lastMove.fingerprint) lastMove = { atMs: poll.atMs, fingerprint };
    if (poll.atMs - lastMove.atMs > options.stallMs) {
      throw new Error(
        `nothing moved for ${Math.round(options.stallMs / 60_000)} min; still waiting for: ${check.waitingFor.join("; ")}`,
      );
    }
    progress(progressLine(polls, topics, events, check.waitingFor));
    await sleep(pollIntervalMs);
  }
}

function progressLine(
  polls: readonly PipelinePoll[],
  topics: PipelineTopicNames,
  events: number,
  waitingFor: readonly string[],
): string {
  const latest = polls.at(-1) as PipelinePoll;
  const counts = stageCounts(latest, topics);
  const earlier = polls.find((poll) => poll.atMs >= latest.atMs - etaWindowMs) ?? latest;
  const before = stageCounts(earlier, topics);
  const seconds = (latest.atMs - earlier.atMs) / 1000;
  const rate = (service: PipelineService) =>
    seconds > 0 ? (counts[service] - before[service]) / seconds : 0;
  const stages = pipelineServices
    .map((service) => `${service} ${counts[service].toLocaleString("en")} (${Math.round(rate(service))}/s)`)
    .join(" · ");
  // The stage furthest behind: the pipeline is done when it is (and the derived topics are read).
  const behind = pipelineServices.reduce((last, service) =>
    counts[service] < counts[last] ? service : last,
  );
  const eta =
    counts[behind] >= events
      ? `waiting for ${waitingFor.slice(0, 3).join("; ")}`
      : rate(behind) > 0
        ? `${behind} done in about ${durationText((events - counts[behind]) / rate(behind))} at its last 30 s's rate`
        : "no rate yet";
  return `  of ${events.toLocaleString("en")}: ${stages}; ${eta}`;
}

export function durationText(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5_400) return `${Math.round(seconds / 60)} min`;
  return `${Math.floor(seconds / 3_600)} h ${Math.round((seconds % 3_600) / 60)} min`;
}
