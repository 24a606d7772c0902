import type { ImportTally } from "./import-tally.js";

/** The one-line progress report: how far through the file and how fast. */
export type ImportProgress = {
  file: string;
  /** The first pass of a grouped orders import only reads order ids. */
  phase: "scanning" | "sending";
  tally: ImportTally;
  fileBytes: number;
  elapsedMs: number;
};

const count = (value: number) => value.toLocaleString("en-US");

export function progressText({ file, phase, tally, fileBytes, elapsedMs }: ImportProgress): string {
  const percent = fileBytes === 0 ? 100 : Math.min(100, Math.floor((tally.bytesRead / fileBytes) * 100));
  const rate = elapsedMs > 0 ? Math.round((tally.rowsRead / elapsedMs) * 1000) : 0;
  if (phase === "scanning") {
    return `${file}: grouping order rows · ${count(tally.rowsRead)} rows · ${count(rate)} rows/s · ${percent}%`;
  }
  const rejected = tally.rejectedLocally + tally.rejectedByIngestion;
  return `${file}: ${count(tally.rowsRead)} rows · ${count(tally.eventsSent)} sent · ${count(tally.accepted)} accepted · ${count(rejected)} rejected · ${count(rate)} rows/s · ${percent}%`;
}
