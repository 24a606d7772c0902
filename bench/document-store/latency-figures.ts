import { median, percentile } from "../shared/percentiles.js";

/** What the calls of one operation took: the median and the 90th percentile (nearest rank), in ms. */
export type LatencyFigures = { calls: number; medianMs: number; p90Ms: number };

/** A call that got no answer within the run's timeout (a wedged server), after `callsBefore` answered. */
export type UnfinishedCall = { unfinishedAfterSeconds: number; callsBefore: number };

export type OperationOutcome = LatencyFigures | UnfinishedCall;

export function isUnfinished(outcome: OperationOutcome): outcome is UnfinishedCall {
  return "unfinishedAfterSeconds" in outcome;
}

export function latencyFigures(samplesMs: readonly number[]): LatencyFigures {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { calls: sorted.length, medianMs: median(sorted), p90Ms: percentile(sorted, 90) };
}
