import type { RunConditions } from "../shared/run-conditions.js";
import type { PipelineBenchOptions } from "./options.js";
import type { PhaseFigures } from "./pipeline-phase.js";
import { pipelineServices } from "./pipeline-services.js";
import type { WorkloadMix } from "./workload.js";

/** The workload of one measurement, as the report describes it. */
export type WorkloadFacts = {
  events: number;
  people: number;
  months: number;
  generated: number;
  mix: WorkloadMix;
};

export type PipelineMeasurement = { load: number; workload: WorkloadFacts; figures: PhaseFigures };

/** Everything one `bench pipeline` run measured, and under which conditions. */
export type PipelineBenchReport = RunConditions & {
  options: PipelineBenchOptions;
  main: PipelineMeasurement;
  /** The same N events over more people; undefined with --skip-scale. */
  scale: PipelineMeasurement | undefined;
};

/** The targets, to compare the figures with. */
export const pipelineTargets = {
  endToEndEventsPerSecond: 2_000,
  identityEventsPerSecond: 4_000,
  freshnessP99Ms: 2_000,
  freshnessRate: 1_000,
  /** The end-to-end rate at the larger population may be at most this much lower. */
  scaleRateDrop: 0.2,
  events: 200_000,
  customers: 20_000,
  scaleCustomers: 100_000,
} as const;

const oneDecimal = (value: number | undefined) => (value === undefined ? null : Math.round(value * 10) / 10);

/** The one-line JSON summary (`--json`): the headline figures, null where unmeasured or unknown. */
export function pipelineJsonSummary(report: PipelineBenchReport) {
  const { main, scale } = report;
  const figures = main.figures;
  const freshness = figures.freshness;
  const scaleRate = scale?.figures.endToEndEventsPerSecond;
  return {
    benchmark: "pipeline",
    date: report.startedAt.toISOString(),
    commit: report.machine.commit,
    events: main.workload.events,
    customers: main.workload.people,
    endToEndEventsPerSecond: oneDecimal(figures.endToEndEventsPerSecond),
    endToEndFromStartEventsPerSecond: oneDecimal(figures.endToEndFromSpawnEventsPerSecond),
    ingestionEventsPerSecond: oneDecimal(figures.stages.ingestion.eventsPerSecond),
    identityEventsPerSecond: oneDecimal(figures.stages.identity.eventsPerSecond),
    scoringEventsPerSecond: oneDecimal(figures.stages.scoring.eventsPerSecond),
    offerEventsPerSecond: oneDecimal(figures.stages.offer.eventsPerSecond),
    drainedSeconds: oneDecimal(figures.drainedSeconds),
    freshnessRate: freshness?.offeredRate ?? null,
    freshnessSamples: freshness?.samples ?? null,
    freshnessVisible: freshness?.visible ?? null,
    freshnessP50Ms: oneDecimal(freshness?.p50Ms),
    freshnessP99Ms: oneDecimal(freshness?.p99Ms),
    /** When the p99 is null because too many samples never became visible: they were waited for this long. */
    freshnessWaitSeconds: freshness?.waitSeconds ?? null,
    scaleCustomers: scale?.workload.people ?? null,
    scaleEndToEndEventsPerSecond: oneDecimal(scaleRate),
    scaleRateRatio:
      scaleRate === undefined
        ? null
        : Math.round((scaleRate / figures.endToEndEventsPerSecond) * 1000) / 1000,
    cpuCores: Object.fromEntries(
      Object.entries(figures.cores).map(([name, cores]) => [name, Math.round(cores * 100) / 100]),
    ),
    storeCommandsPerEvent: Object.fromEntries(
      pipelineServices.map((service) => [
        service,
        Math.round(figures.storeCommands[service].total * 100) / 100,
      ]),
    ),
    loadBefore: report.loadBefore,
    loadAfter: report.loadAfter,
  };
}

/** A target of the issue next to what this run measured; `met` is undefined where this run cannot say. */
export type TargetCheck = {
  what: string;
  target: string;
  measured: number | undefined;
  /** Decimals to show the figure with (default none). */
  decimals?: number;
  /** Why there is no figure, when there is a reason to give. */
  unknownBecause?: string;
  met: boolean | undefined;
};

export function targetChecks(report: PipelineBenchReport): TargetCheck[] {
  const { main, scale } = report;
  const figures = main.figures;
  const fullSize = main.workload.events >= pipelineTargets.events;
  const atTargetPopulations =
    main.workload.people === pipelineTargets.customers &&
    scale?.workload.people === pipelineTargets.scaleCustomers;
  const atLeast = (measured: number | undefined, target: number) =>
    measured === undefined ? undefined : measured >= target;
  const freshness = figures.freshness;
  const freshnessAtTargetRate =
    freshness !== undefined && freshness.offeredRate >= pipelineTargets.freshnessRate;
  const ratio =
    scale === undefined ? undefined : scale.figures.endToEndEventsPerSecond / figures.endToEndEventsPerSecond;
  return [
    {
      what: `end to end over ${pipelineTargets.events.toLocaleString("en")} events, events/s`,
      target: `≥ ${pipelineTargets.endToEndEventsPerSecond.toLocaleString("en")}`,
      measured: figures.endToEndEventsPerSecond,
      // The target is for the full size: a smaller run does not say.
      met: fullSize ? figures.endToEndEventsPerSecond >= pipelineTargets.endToEndEventsPerSecond : undefined,
    },
    {
      what: "identity, events/s",
      target: `≥ ${pipelineTargets.identityEventsPerSecond.toLocaleString("en")}`,
      measured: figures.stages.identity.eventsPerSecond,
      met: atLeast(figures.stages.identity.eventsPerSecond, pipelineTargets.identityEventsPerSecond),
    },
    {
      what: `freshness p99 at a steady ${pipelineTargets.freshnessRate.toLocaleString("en")} events/s, ms`,
      target: `≤ ${pipelineTargets.freshnessP99Ms.toLocaleString("en")}`,
      measured: freshness?.p99Ms,
      ...(freshness !== undefined && freshness.p99Ms === undefined
        ? { unknownBecause: `> ${(freshness.waitSeconds * 1000).toLocaleString("en")}` }
        : {}),
      met: !freshnessAtTargetRate
        ? undefined
        : freshness.p99Ms === undefined
          ? freshness.waitSeconds * 1000 >= pipelineTargets.freshnessP99Ms
            ? false
            : undefined
          : freshness.p99Ms <= pipelineTargets.freshnessP99Ms,
    },
    {
      what: `end to end at ${pipelineTargets.scaleCustomers.toLocaleString("en")} people / at ${pipelineTargets.customers.toLocaleString("en")}`,
      target: `≥ ${1 - pipelineTargets.scaleRateDrop}`,
      measured: ratio,
      decimals: 2,
      // The target is for those populations and the full size: other sizes do not say.
      met:
        ratio === undefined || !fullSize || !atTargetPopulations
          ? undefined
          : ratio >= 1 - pipelineTargets.scaleRateDrop,
    },
  ];
}
