/** One order followed from its publish until GetTimeline listed it (or the wait ended). */
export type FreshnessSample = { publishedAtMs: number; visibleAtMs: number | undefined };

export type FreshnessLatencies = {
  samples: number;
  /** Samples GetTimeline listed before the wait ended. */
  visible: number;
  p50Ms: number | undefined;
  p90Ms: number | undefined;
  p99Ms: number | undefined;
  maxMs: number | undefined;
  /**
   * Samples not visible by the end count as slower than any visible one: a percentile that falls
   * among them is unknown (undefined), only known to exceed the time they were waited for.
   */
  notVisible: number;
};

/**
 * The nearest-rank percentile of all samples, with those never seen ranked last: the smallest
 * latency such that at least p % of the samples were visible within it; undefined when that rank
 * falls among the samples never seen.
 */
export function censoredPercentile(
  visibleSorted: readonly number[],
  total: number,
  p: number,
): number | undefined {
  if (total === 0) return undefined;
  if (!(p > 0 && p <= 100)) throw new Error(`percentile must be in (0, 100], got ${p}`);
  const rank = Math.ceil((p / 100) * total);
  return rank <= visibleSorted.length ? visibleSorted[rank - 1] : undefined;
}

export function freshnessLatencies(samples: readonly FreshnessSample[]): FreshnessLatencies {
  const visible = samples
    .flatMap(({ publishedAtMs, visibleAtMs }) =>
      visibleAtMs === undefined ? [] : [visibleAtMs - publishedAtMs],
    )
    .sort((a, b) => a - b);
  const total = samples.length;
  return {
    samples: total,
    visible: visible.length,
    p50Ms: censoredPercentile(visible, total, 50),
    p90Ms: censoredPercentile(visible, total, 90),
    p99Ms: censoredPercentile(visible, total, 99),
    maxMs: visible.length === total ? visible.at(-1) : undefined,
    notVisible: total - visible.length,
  };
}

/** Every how many orders one is followed, so that about `samples` are among `expectedOrders`. */
export function sampleEvery(expectedOrders: number, samples: number): number {
  return Math.max(1, Math.floor(expectedOrders / samples));
}
