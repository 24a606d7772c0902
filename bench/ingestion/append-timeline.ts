/** One poll of ingestion's append counter. */
export type AppendObservation = { atMs: number; appended: number };

/**
 * The append rate between the first observation that reached `from` appends and the first that
 * reached `to` (events per second), measured between those two observations; undefined when one
 * observation covers both (the polls were too coarse for so few events).
 */
export function appendRate(
  timeline: readonly AppendObservation[],
  from: number,
  to: number,
): number | undefined {
  const start = timeline.find((observation) => observation.appended >= from);
  const end = timeline.find((observation) => observation.appended >= to);
  if (!start || !end || end.atMs <= start.atMs) return undefined;
  return (end.appended - start.appended) / ((end.atMs - start.atMs) / 1000);
}
