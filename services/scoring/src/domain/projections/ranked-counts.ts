import { compareText } from "../customer-facts.js";

export type RankedCount = { value: string; count: number };

/** How often each value occurs, most frequent first (ties by value), at most `limit` of them. */
export function rankCounts(values: Iterable<string>, limit: number): RankedCount[] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || compareText(a.value, b.value))
    .slice(0, limit);
}

/** Values already counted (a tally), ranked as rankCounts ranks them. */
export function rankTallied(tallies: readonly RankedCount[], limit: number): RankedCount[] {
  return [...tallies]
    .sort((a, b) => b.count - a.count || compareText(a.value, b.value))
    .slice(0, limit)
    .map(({ value, count }) => ({ value, count }));
}
