import { median, percentile } from "../shared/percentiles.js";

/** What the calls of one operation took: the median and the 90th percentile (nearest rank), in ms. */
export type LatencyFigures = { calls: number; medianMs: number; p90Ms: number };

export function latencyFigures(samplesMs: readonly number[]): LatencyFigures {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { calls: sorted.length, medianMs: median(sorted), p90Ms: percentile(sorted, 90) };
}
