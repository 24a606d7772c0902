import type { CpuSnapshot } from "../shared/process-cpu.js";
import type { PipelineService } from "./pipeline-services.js";
import type { ServiceCounters } from "./service-counters.js";
import { sumOf } from "./service-counters.js";
import type { TailReading } from "./topic-tail.js";

/** One look at every service's counters, the derived topics and the CPU use of the watched processes. */
export type PipelinePoll = {
  atMs: number;
  services: Record<PipelineService, ServiceCounters>;
  tail: TailReading;
  cpu: CpuSnapshot;
};

/** The full names of the topics of one measurement. */
export type PipelineTopicNames = {
  raw: readonly string[];
  events: string;
  resolved: string;
  identity: string;
  changes: string;
  offers: string;
  scoring: string;
};

type Expectation = { service: PipelineService; topic: string; consumed: number; expected: number };

/**
 * What each service's consumed counter must reach on each topic it reads: on the log topics the N
 * events (ingestion appends each to crm.events once, identity each to crm.events.resolved once), on
 * the derived topics what the tail reader counted.
 */
function expectations(poll: PipelinePoll, topics: PipelineTopicNames, events: number): Expectation[] {
  const consumed = (service: PipelineService, topic: string) => poll.services[service].consumed[topic] ?? 0;
  const expected = (topic: string) => (topic === topics.resolved ? events : (poll.tail.records[topic] ?? 0));
  const reads = (service: PipelineService, read: readonly string[]) =>
    read.map((topic) => ({ service, topic, consumed: consumed(service, topic), expected: expected(topic) }));
  return [
    {
      service: "ingestion",
      topic: "crm.raw.*",
      consumed: topics.raw.reduce((sum, topic) => sum + consumed("ingestion", topic), 0),
      expected: events,
    },
    {
      service: "identity",
      topic: topics.events,
      consumed: consumed("identity", topics.events),
      expected: events,
    },
    ...reads("scoring", [topics.resolved, topics.identity, topics.offers, topics.scoring]),
    ...reads("offer", [topics.resolved, topics.changes, topics.offers, topics.identity]),
  ];
}

export type DrainCheck = { drained: boolean; waitingFor: string[] };

/**
 * Whether the pipeline has handled everything: ingestion every raw record, identity every event of
 * crm.events, scoring and offer every record of every topic they read (their lag is 0), and the tail
 * reader has read the derived topics to their end. A poll reads the services' counters before the
 * topics, so a record a service wrote in the transaction that committed its input is on a topic by the
 * time the tail is read: nothing can be in flight when every count is reached.
 */
export function drainCheck(poll: PipelinePoll, topics: PipelineTopicNames, events: number): DrainCheck {
  const waitingFor = expectations(poll, topics, events)
    .filter(({ consumed, expected }) => consumed < expected)
    .map(
      ({ service, topic, consumed, expected }) =>
        `${service} ${topic.slice(topic.indexOf("crm."))} ${consumed.toLocaleString("en")}/${expected.toLocaleString("en")}`,
    );
  for (const service of ["scoring", "offer"] as const) {
    const lag = poll.services[service].lag;
    if (lag > 0) waitingFor.push(`${service} consumer lag ${lag.toLocaleString("en")}`);
  }
  if (!poll.tail.atEnd) waitingFor.push("the benchmark's reader of the derived topics");
  return { drained: waitingFor.length === 0, waitingFor };
}

/** How far each stage has got: records of the N events it has handled and committed. */
export function stageCounts(poll: PipelinePoll, topics: PipelineTopicNames): Record<PipelineService, number> {
  const { services } = poll;
  return {
    ingestion: topics.raw.reduce((sum, topic) => sum + (services.ingestion.consumed[topic] ?? 0), 0),
    identity: services.identity.consumed[topics.events] ?? 0,
    scoring: services.scoring.consumed[topics.resolved] ?? 0,
    offer: services.offer.consumed[topics.resolved] ?? 0,
  };
}

export type StageFigures = {
  /** Events per second from the poll that first saw one of the stage's events to the one that saw the last. */
  eventsPerSecond: number | undefined;
  /** Seconds after the services were spawned that the stage was first and last seen handling events. */
  firstSeconds: number | undefined;
  doneSeconds: number | undefined;
};

/**
 * A stage's rate over the polls: N events from the first poll that saw the stage handle any to the
 * first that saw all of them. Upstream stages feed it, so a stage faster than the one before it
 * shows about the rate of that one.
 */
export function stageFigures(
  polls: readonly PipelinePoll[],
  count: (poll: PipelinePoll) => number,
  events: number,
  spawnedMs: number,
): StageFigures {
  const first = polls.find((poll) => count(poll) > 0);
  const done = polls.find((poll) => count(poll) >= events);
  const seconds = (poll: PipelinePoll | undefined) =>
    poll === undefined ? undefined : (poll.atMs - spawnedMs) / 1000;
  const windowSeconds = first && done ? (done.atMs - first.atMs) / 1000 : 0;
  return {
    eventsPerSecond:
      first && done && windowSeconds > 0 ? (count(done) - count(first)) / windowSeconds : undefined,
    firstSeconds: seconds(first),
    doneSeconds: seconds(done),
  };
}

/** Store commands a service sent between two readings, per event, by command name (and in all). */
export type StoreCommandsPerEvent = { total: number; byCommand: Record<string, number> };

export function storeCommandsPerEvent(
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
  events: number,
): StoreCommandsPerEvent {
  const byCommand: Record<string, number> = {};
  for (const [command, count] of Object.entries(after)) {
    const sent = count - (before[command] ?? 0);
    if (sent > 0) byCommand[command] = sent / events;
  }
  return { total: sumOf(byCommand), byCommand };
}

/** CPU seconds each process used between two snapshots. */
export function cpuSecondsUsed(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const seconds: Record<string, number> = {};
  for (const [name, used] of Object.entries(after.seconds)) {
    const start = before.seconds[name];
    if (start !== undefined) seconds[name] = used - start;
  }
  return seconds;
}
