/** One poll of a service's counter (events appended, events resolved, ...). */
export type CounterObservation = { atMs: number; count: number };

/**
 * The counter's rate between the first observation that reached `from` and the first that reached
 * `to` (per second), measured between those two observations; undefined when one observation covers
 * both (the polls were too coarse for so few events) or `to` was never reached.
 */
export function rateBetween(
  timeline: readonly CounterObservation[],
  from: number,
  to: number,
): number | undefined {
  const start = timeline.find((observation) => observation.count >= from);
  const end = timeline.find((observation) => observation.count >= to);
  if (!start || !end || end.atMs <= start.atMs) return undefined;
  return (end.count - start.count) / ((end.atMs - start.atMs) / 1000);
}
