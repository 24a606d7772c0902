const count = (value: number) => value.toLocaleString("en-US");

/** The progress line of an export: records so far and how fast. */
export function exportProgressText(records: number, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? Math.round((records / elapsedMs) * 1000) : 0;
  return `exported ${count(records)} source records · ${count(rate)} records/s`;
}

/** The last line of an export, on stderr (stdout may be the export itself). */
export function exportSummaryText(records: number, destination: string, elapsedMs: number): string {
  const noun = records === 1 ? "source record" : "source records";
  return `exported ${count(records)} ${noun} to ${destination} in ${(elapsedMs / 1000).toFixed(1)} s`;
}
