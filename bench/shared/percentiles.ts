/**
 * The nearest-rank percentile of an ascending-sorted sample: the smallest value such that at least
 * p % of the sample is less than or equal to it. No interpolation, so every figure is a latency
 * that was actually observed.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error("percentile of an empty sample");
  if (!(p > 0 && p <= 100)) throw new Error(`percentile must be in (0, 100], got ${p}`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** The middle value; for an even count, the mean of the two middle values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of an empty sample");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** What repeated runs of one figure gave: the median and the range. */
export type Spread = { median: number; min: number; max: number; runs: number };

export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error("spread of no runs");
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

export type LatencySummary = { count: number; p50: number; p90: number; p99: number; max: number };

/** Percentiles of per-request wall times (any unit; the sample need not be sorted). */
export function latencySummary(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] as number,
  };
}
