import { type CrmTopics, crmTopics, rawSources } from "@rapport/events";
import type { BenchEndpoints } from "../shared/bench-infra.js";
import { formatCores } from "../shared/format.js";
import { type CpuSnapshot, coresUsed, cpuSnapshot, type WatchedProcesses } from "../shared/process-cpu.js";
import type { Log } from "../shared/progress.js";
import { publishRecords } from "../shared/record-publisher.js";
import { removeRunData } from "../shared/run-cleanup.js";
import { type FreshnessFigures, measureFreshness } from "./freshness-phase.js";
import {
  cpuSecondsUsed,
  type PipelinePoll,
  type PipelineTopicNames,
  type StageFigures,
  type StoreCommandsPerEvent,
  stageCounts,
  stageFigures,
  storeCommandsPerEvent,
} from "./pipeline-figures.js";
import {
  freshPipelineNames,
  type PipelineService,
  pipelineServices,
  type RunningPipeline,
  type StartingPipeline,
  startPipeline,
} from "./pipeline-services.js";
import { pipelinePoller, watchUntilDrained } from "./pipeline-watch.js";
import { serviceCountersOf, sumOf } from "./service-counters.js";
import { startTopicTail, type TopicTail } from "./topic-tail.js";
import { type PipelineWorkload, rawRecordOf } from "./workload.js";

export type PhaseOptions = {
  endpoints: BenchEndpoints;
  /** The broker, FerretDB and this benchmark: their CPU use is reported with the services'. */
  watched: WatchedProcesses;
  /** "main" or "scale": part of the measurement's topic prefix and database names. */
  kind: string;
  workload: PipelineWorkload;
  stallMs: number;
  /** Freshness is measured after the drain, on the same services; undefined: not measured. */
  freshness: { rate: number; seconds: number; samples: number; waitSeconds: number } | undefined;
  log: Log;
};

export type PhaseFigures = {
  events: number;
  people: number;
  /** From spawning the four processes until all answered /readyz. */
  startSeconds: number;
  /** From spawning until the first poll that saw ingestion append an event. */
  firstAppendSeconds: number;
  /** From spawning until the poll that found everything handled. */
  drainedSeconds: number;
  /** N / (drained − first append). */
  endToEndEventsPerSecond: number;
  /** N / (drained − spawn): start-up included. */
  endToEndFromSpawnEventsPerSecond: number;
  stages: Record<PipelineService, StageFigures>;
  /** From spawning to the drain, by process, in cores (1.0 = one core busy all the time). */
  cores: Record<string, number>;
  cpuSeconds: Record<string, number>;
  /** Store commands per event from each service's readiness to the drain. */
  storeCommands: Record<PipelineService, StoreCommandsPerEvent>;
  /** Store commands each service sent before it was ready (its collections and indexes). */
  storeCommandsAtStart: Record<PipelineService, number>;
  /** Records the events made on the derived topics, as a downstream consumer reads them. */
  derivedRecords: { identity: number; changes: number; offers: number; scoring: number };
  freshness: FreshnessFigures | undefined;
};

/**
 * One measurement on fresh topics and databases: the workload waits on the raw topics, the four
 * services start at once, and the counters are polled until everything is handled; then, if asked,
 * freshness under a steady rate on the same services. Everything the measurement made is removed.
 */
export async function measurePipelinePhase(options: PhaseOptions): Promise<PhaseFigures> {
  const { endpoints, workload, log } = options;
  const events = workload.deliveries.length;
  const names = freshPipelineNames(options.kind);
  const topics = crmTopics(names.prefix);
  const pipelineTopics = pipelineTopicNamesOf(topics);
  const records = workload.deliveries.map(rawRecordOf);
  log(`  publishing ${events.toLocaleString("en")} events to ${names.prefix}crm.raw.*`);
  await publishRecords({
    endpoints,
    createTopics: rawSources.map((source) => topics.raw(source)),
    count: events,
    recordAt: (index) => {
      const record = records[index] as (typeof records)[number];
      return { topic: topics.raw(record.lane), key: record.key, value: record.value };
    },
    what: "events on the raw topics",
    log,
  });

  let pipeline: StartingPipeline | undefined;
  let started: Promise<RunningPipeline | undefined> = Promise.resolve(undefined);
  let tail: TopicTail | undefined;
  try {
    log("  starting ingestion, identity, scoring and offer");
    const spawnedMs = performance.now();
    const infraAtSpawn = cpuSnapshot(options.watched);
    const starting = await startPipeline(endpoints, names);
    pipeline = starting;
    let startFailure: Error | undefined;
    // Once all four are ready (they have created their topics), the reader of the derived topics starts;
    // a failure of either ends the watch at its next poll.
    started = starting.allReady
      .then(async (running) => {
        const readyAt = Math.max(...pipelineServices.map((service) => running.services[service].readyAtMs));
        log(`  all four ready after ${((readyAt - spawnedMs) / 1000).toFixed(1)} s`);
        tail = await startTopicTail(endpoints, `${names.prefix}bench-tail`, [
          pipelineTopics.identity,
          pipelineTopics.changes,
          pipelineTopics.offers,
          pipelineTopics.scoring,
        ]);
        return running;
      })
      .catch((error: Error) => {
        startFailure = error;
        return undefined;
      });
    // The processes were spawned just now: their CPU use so far is all since the spawn.
    const atSpawn: CpuSnapshot = {
      atMs: spawnedMs,
      seconds: {
        ...infraAtSpawn.seconds,
        ...Object.fromEntries(pipelineServices.map((service) => [service, 0])),
      },
    };
    const poll = pipelinePoller(
      starting,
      () => tail,
      options.watched,
      () => startFailure,
    );
    const polls = await watchUntilDrained({
      poll,
      topics: pipelineTopics,
      events,
      stallMs: options.stallMs,
      log,
    }).catch((error: Error) => {
      error.message += `\nThe services' last output:\n${starting.outputs()}`;
      throw error;
    });
    // Drained means every service handled everything, so all are ready and the reader runs.
    const running = (await started) as RunningPipeline;
    const figures = phaseFigures({
      polls,
      events,
      people: workload.people,
      spawnedMs,
      atSpawn,
      pipeline: running,
      topics: pipelineTopics,
    });
    log(
      `  drained after ${figures.drainedSeconds.toFixed(1)} s: ${Math.round(figures.endToEndEventsPerSecond).toLocaleString("en")} events/s end to end ` +
        `(stages: ${pipelineServices.map((service) => `${service} ${Math.round(figures.stages[service].eventsPerSecond ?? Number.NaN)}`).join(", ")}); ` +
        `CPU ${formatCores(figures.cores)}`,
    );
    let freshness: FreshnessFigures | undefined;
    if (options.freshness) {
      log(
        `  freshness: ${options.freshness.rate.toLocaleString("en")} events/s for ${options.freshness.seconds} s, following about ${options.freshness.samples} orders`,
      );
      freshness = await measureFreshness({
        endpoints,
        topics,
        pipelineTopics,
        pool: workload.deliveries,
        ...options.freshness,
        scoringAddress: running.scoringAddress,
        poll,
        log,
      });
      log(
        `  freshness: ${freshness.visible} of ${freshness.samples} followed orders visible; ` +
          `p50 ${msText(freshness.p50Ms)}, p99 ${msText(freshness.p99Ms)}`,
      );
    }
    return { ...figures, freshness };
  } finally {
    await started;
    await tail?.close();
    await pipeline?.stop();
    await removeRunData(endpoints, { prefix: names.prefix, databases: Object.values(names.databases) });
  }
}

function msText(ms: number | undefined): string {
  return ms === undefined ? "not reached" : `${Math.round(ms).toLocaleString("en")} ms`;
}

export function pipelineTopicNamesOf(topics: CrmTopics): PipelineTopicNames {
  return {
    raw: rawSources.map((source) => topics.raw(source)),
    events: topics.events,
    resolved: topics.resolvedEvents,
    identity: topics.identity,
    changes: topics.customerChanges,
    offers: topics.offers,
    scoring: topics.scoring,
  };
}

type FiguresInput = {
  polls: readonly PipelinePoll[];
  events: number;
  people: number;
  spawnedMs: number;
  atSpawn: CpuSnapshot;
  pipeline: RunningPipeline;
  topics: PipelineTopicNames;
};

function phaseFigures(input: FiguresInput): Omit<PhaseFigures, "freshness"> {
  const { polls, events, spawnedMs, topics, pipeline } = input;
  const drained = polls.at(-1) as PipelinePoll;
  const stages = Object.fromEntries(
    pipelineServices.map((service) => [
      service,
      stageFigures(polls, (poll) => stageCounts(poll, topics)[service], events, spawnedMs),
    ]),
  ) as Record<PipelineService, StageFigures>;
  const firstAppendSeconds = stages.ingestion.firstSeconds ?? 0;
  const drainedSeconds = (drained.atMs - spawnedMs) / 1000;
  const atReady = Object.fromEntries(
    pipelineServices.map((service) => [
      service,
      serviceCountersOf(pipeline.services[service].metricsAtReady),
    ]),
  ) as Record<PipelineService, ReturnType<typeof serviceCountersOf>>;
  const readyAtMs = Math.max(...pipelineServices.map((service) => pipeline.services[service].readyAtMs));
  return {
    events,
    people: input.people,
    startSeconds: (readyAtMs - spawnedMs) / 1000,
    firstAppendSeconds,
    drainedSeconds,
    endToEndEventsPerSecond: events / (drainedSeconds - firstAppendSeconds),
    endToEndFromSpawnEventsPerSecond: events / drainedSeconds,
    stages,
    cores: coresUsed(input.atSpawn, drained.cpu),
    cpuSeconds: cpuSecondsUsed(input.atSpawn, drained.cpu),
    storeCommands: Object.fromEntries(
      pipelineServices.map((service) => [
        service,
        storeCommandsPerEvent(
          atReady[service].storeCommands,
          drained.services[service].storeCommands,
          events,
        ),
      ]),
    ) as Record<PipelineService, StoreCommandsPerEvent>,
    storeCommandsAtStart: Object.fromEntries(
      pipelineServices.map((service) => [service, sumOf(atReady[service].storeCommands)]),
    ) as Record<PipelineService, number>,
    derivedRecords: {
      identity: drained.tail.records[topics.identity] ?? 0,
      changes: drained.tail.records[topics.changes] ?? 0,
      offers: drained.tail.records[topics.offers] ?? 0,
      scoring: drained.tail.records[topics.scoring] ?? 0,
    },
  };
}
