import { crmTopics } from "@rapport/events";
import { describe, expect, it } from "vitest";
import { censoredPercentile, freshnessLatencies, sampleEvery } from "../pipeline/freshness-figures.js";
import type { FreshnessFigures } from "../pipeline/freshness-phase.js";
import { parsePipelineBenchOptions } from "../pipeline/options.js";
import {
  drainCheck,
  type PipelinePoll,
  stageFigures,
  storeCommandsPerEvent,
} from "../pipeline/pipeline-figures.js";
import { type PhaseFigures, pipelineTopicNamesOf } from "../pipeline/pipeline-phase.js";
import {
  type PipelineBenchReport,
  pipelineJsonSummary,
  type TargetCheck,
  targetChecks,
} from "../pipeline/pipeline-summary.js";
import { bottlenecks } from "../pipeline/report.js";
import { serviceCountersOf } from "../pipeline/service-counters.js";

const topics = pipelineTopicNamesOf(crmTopics("run."));
const idle = serviceCountersOf("");

/** A poll where every service has consumed what `consumed` says (full topic names) and the tail read `onTopics`. */
function pollOf(
  consumed: Partial<Record<"ingestion" | "identity" | "scoring" | "offer", Record<string, number>>>,
  onTopics: Record<string, number>,
  options: { atMs?: number; lag?: number; atEnd?: boolean } = {},
): PipelinePoll {
  const service = (name: keyof typeof consumed, lag = 0) => ({
    ...idle,
    consumed: consumed[name] ?? {},
    lag,
  });
  return {
    atMs: options.atMs ?? 0,
    services: {
      ingestion: service("ingestion"),
      identity: service("identity"),
      scoring: service("scoring"),
      offer: service("offer", options.lag ?? 0),
    },
    tail: { records: onTopics, atEnd: options.atEnd ?? true },
    cpu: { atMs: options.atMs ?? 0, seconds: {} },
  };
}

const done = {
  ingestion: { "run.crm.raw.orders": 60, "run.crm.raw.weblogs": 40 },
  identity: { "run.crm.events": 100 },
  scoring: {
    "run.crm.events.resolved": 100,
    "run.crm.identity": 150,
    "run.crm.offers": 3,
    "run.crm.scoring": 1,
  },
  offer: {
    "run.crm.events.resolved": 100,
    "run.crm.customer.changes": 20,
    "run.crm.offers": 3,
    "run.crm.identity": 150,
  },
};
const derived = {
  "run.crm.identity": 150,
  "run.crm.customer.changes": 20,
  "run.crm.offers": 3,
  "run.crm.scoring": 1,
};

describe("whether the pipeline has handled everything", () => {
  it("holds when every service has consumed every record of every topic it reads", () => {
    expect(drainCheck(pollOf(done, derived), topics, 100)).toEqual({ drained: true, waitingFor: [] });
  });

  it("waits for the stage still behind, on the log topics by the N events", () => {
    const check = drainCheck(
      pollOf({ ...done, scoring: { ...done.scoring, "run.crm.events.resolved": 98 } }, derived),
      topics,
      100,
    );
    expect(check).toEqual({ drained: false, waitingFor: ["scoring crm.events.resolved 98/100"] });
  });

  it("waits for records a service made after the others had caught up (a change offer has not read)", () => {
    const check = drainCheck(pollOf(done, { ...derived, "run.crm.customer.changes": 21 }), topics, 100);
    expect(check.waitingFor).toEqual(["offer crm.customer.changes 20/21"]);
  });

  it("waits while a consumer reports lag or the reader has not read the topics to their end", () => {
    expect(drainCheck(pollOf(done, derived, { lag: 2 }), topics, 100).waitingFor).toEqual([
      "offer consumer lag 2",
    ]);
    expect(drainCheck(pollOf(done, derived, { atEnd: false }), topics, 100).drained).toBe(false);
  });
});

describe("a stage's rate", () => {
  const polls = [0, 0, 10, 60, 100, 100].map((count, k) =>
    pollOf({ identity: { "run.crm.events": count } }, {}, { atMs: 1_000 + k * 1_000 }),
  );
  const identity = (poll: PipelinePoll) => poll.services.identity.consumed["run.crm.events"] ?? 0;

  it("is the events from the first poll that saw one to the first that saw all, over that time", () => {
    expect(stageFigures(polls, identity, 100, 0)).toEqual({
      eventsPerSecond: 45,
      firstSeconds: 3,
      doneSeconds: 5,
    });
  });

  it("is unknown while the stage has not handled all events", () => {
    expect(stageFigures(polls, identity, 200, 0).eventsPerSecond).toBeUndefined();
  });
});

describe("store commands per event", () => {
  it("counts what each command sent after the reading before, per event", () => {
    const perEvent = storeCommandsPerEvent(
      { createIndexes: 512, find: 10 },
      { createIndexes: 512, find: 310, update: 100, insert: 50 },
      100,
    );
    expect(perEvent).toEqual({ total: 4.5, byCommand: { find: 3, update: 1, insert: 0.5 } });
  });

  it("reads rapport_store_commands_total by command from /metrics", () => {
    const counters = serviceCountersOf(
      [
        "# TYPE rapport_store_commands_total counter",
        'rapport_store_commands_total{command="find",service="scoring"} 12',
        'rapport_store_commands_total{command="update",service="scoring"} 3',
        'rapport_kafka_records_consumed_total{group="g",topic="run.crm.offers",service="scoring"} 7',
        'rapport_kafka_consumer_lag{group="g",topic="run.crm.offers",partition="0",service="scoring"} 2',
        'rapport_kafka_consumer_lag{group="g",topic="run.crm.offers",partition="1",service="scoring"} 1',
      ].join("\n"),
    );
    expect(counters.storeCommands).toEqual({ find: 12, update: 3 });
    expect(counters.consumed).toEqual({ "run.crm.offers": 7 });
    expect(counters.lag).toBe(3);
  });
});

describe("freshness percentiles", () => {
  it("are nearest-rank over the samples seen", () => {
    const samples = [300, 100, 200, 400].map((ms) => ({ publishedAtMs: 1_000, visibleAtMs: 1_000 + ms }));
    expect(freshnessLatencies(samples)).toEqual({
      samples: 4,
      visible: 4,
      p50Ms: 200,
      p90Ms: 400,
      p99Ms: 400,
      maxMs: 400,
      notVisible: 0,
    });
  });

  it("count the samples never seen as slower than all others, so a percentile among them is unknown", () => {
    const seen = Array.from({ length: 98 }, (_, k) => k + 1);
    expect(censoredPercentile(seen, 100, 50)).toBe(50);
    expect(censoredPercentile(seen, 100, 98)).toBe(98);
    expect(censoredPercentile(seen, 100, 99)).toBeUndefined();
    const latencies = freshnessLatencies([
      { publishedAtMs: 0, visibleAtMs: 500 },
      { publishedAtMs: 0, visibleAtMs: undefined },
    ]);
    expect(latencies).toMatchObject({ p50Ms: 500, p99Ms: undefined, maxMs: undefined, notVisible: 1 });
    expect(freshnessLatencies([]).p50Ms).toBeUndefined();
  });

  it("come from about the number of orders asked for", () => {
    expect(sampleEvery(21_000, 200)).toBe(105);
    expect(sampleEvery(50, 200)).toBe(1);
  });
});

describe("the run's summary", () => {
  const stage = (eventsPerSecond: number) => ({ eventsPerSecond, firstSeconds: 1, doneSeconds: 2 });
  const perEvent = { total: 3, byCommand: { find: 2, update: 1 } };
  const figures = (endToEnd: number, freshness?: Partial<FreshnessFigures>): PhaseFigures => ({
    events: 200_000,
    people: 20_000,
    startSeconds: 5,
    firstAppendSeconds: 6,
    drainedSeconds: 106,
    endToEndEventsPerSecond: endToEnd,
    endToEndFromSpawnEventsPerSecond: endToEnd * 0.9,
    stages: {
      ingestion: stage(9_000),
      identity: stage(4_500.04),
      scoring: stage(2_100),
      offer: stage(2_050),
    },
    cores: { identity: 0.951, kafka: 0.2 },
    cpuSeconds: { identity: 100, kafka: 20 },
    storeCommands: { ingestion: perEvent, identity: perEvent, scoring: perEvent, offer: perEvent },
    storeCommandsAtStart: { ingestion: 1, identity: 1, scoring: 1, offer: 1 },
    derivedRecords: { identity: 1, changes: 1, offers: 1, scoring: 1 },
    freshness:
      freshness === undefined
        ? undefined
        : ({
            offeredRate: 1_000,
            waitSeconds: 60,
            samples: 200,
            visible: 200,
            p50Ms: 400,
            p99Ms: 1_500,
            ...freshness,
          } as FreshnessFigures),
  });
  const workload = (people: number) => ({
    events: 200_000,
    people,
    months: 12,
    generated: 220_000,
    mix: {
      signUps: 1,
      duplicateSignUps: 0,
      consents: 1,
      orders: 1,
      calls: 1,
      pageViews: 1,
      logins: 1,
      surveys: 1,
    },
  });
  const report = (main: PhaseFigures, scale?: PhaseFigures): PipelineBenchReport => ({
    startedAt: new Date("2026-12-07T19:00:00Z"),
    command: "npm run bench -w @rapport/bench -- pipeline --json",
    machine: { cpuModel: "AMD EPYC", cores: 2, node: "v20", commit: "abc1234" },
    loadBefore: "1.00 1.00 1.00",
    loadAfter: "2.00 1.50 1.00",
    infra: "throwaway",
    options: parsePipelineBenchOptions(["--json"]),
    main: { load: 1, workload: workload(20_000), figures: main },
    scale: scale && { load: 1, workload: workload(100_000), figures: scale },
  });

  it("has the headline figures in one line of JSON, null where not measured", () => {
    const summary = pipelineJsonSummary(report(figures(2_000.04, {}), figures(1_700)));
    expect(summary).toMatchObject({
      endToEndEventsPerSecond: 2_000,
      identityEventsPerSecond: 4_500,
      freshnessP99Ms: 1_500,
      scaleEndToEndEventsPerSecond: 1_700,
      scaleRateRatio: 0.85,
      cpuCores: { identity: 0.95, kafka: 0.2 },
      storeCommandsPerEvent: { ingestion: 3, identity: 3, scoring: 3, offer: 3 },
    });
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    expect(pipelineJsonSummary(report(figures(50)))).toMatchObject({
      freshnessP99Ms: null,
      freshnessRate: null,
      scaleRateRatio: null,
    });
  });

  it("names the slowest stage, the busiest process and the service with the most round trips", () => {
    expect(bottlenecks(figures(2_000))).toBe(
      "Slowest stage: offer (2,050 events/s); busiest process: identity (0.95 cores of 1.15 used by all " +
        "watched processes); most store round trips per event: ingestion (3.00).",
    );
  });

  it("says which of the issue's targets the run met, and which it cannot tell", () => {
    const met = (checks: TargetCheck[]) => checks.map((check) => check.met);
    expect(met(targetChecks(report(figures(2_100, {}), figures(1_700))))).toEqual([true, true, true, true]);
    expect(met(targetChecks(report(figures(50, { p99Ms: undefined }), figures(30))))).toEqual([
      false,
      true,
      false,
      false,
    ]);
    expect(met(targetChecks(report(figures(50))))).toEqual([false, true, undefined, undefined]);
    // A smaller run says nothing about the rate at 200,000 events of 20,000 and 100,000 people.
    const small = report(figures(50), figures(60));
    small.main.workload = { ...small.main.workload, events: 3_000, people: 300 };
    expect(met(targetChecks(small))).toEqual([undefined, true, undefined, undefined]);
  });
});
