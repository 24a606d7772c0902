import type { ImportKind } from "./import-kind.js";
import type { ImportTally } from "./import-tally.js";

/** The outcome of one import, as printed at the end. */
export type ImportSummary = {
  kind: ImportKind;
  file: string;
  /** Where rejected rows were written, when there were any. */
  rejectionFile: string | undefined;
  elapsedMs: number;
  tally: ImportTally;
};

const count = (value: number) => value.toLocaleString("en-US");

export function summaryText({ kind, file, rejectionFile, elapsedMs, tally }: ImportSummary): string {
  const lines = [
    `Imported ${kind} from ${file} in ${(elapsedMs / 1000).toFixed(1)} s`,
    `  rows read               ${count(tally.rowsRead)}`,
    `  events sent             ${count(tally.eventsSent)}`,
    `  accepted                ${count(tally.accepted)}`,
  ];
  if (tally.ignored > 0) lines.push(`  ignored                 ${count(tally.ignored)}`);
  lines.push(`  rejected by ingestion   ${count(tally.rejectedByIngestion)}`);
  for (const { reason, count: times, examples } of [...tally.ingestionReasons].sort(
    (a, b) => b.count - a.count,
  )) {
    lines.push(`    ${reason} × ${count(times)}`);
    for (const example of examples) lines.push(`      ${rowsText(example.rows)}: ${example.detail}`);
  }
  lines.push(`  rejected locally        ${count(tally.rejectedLocally)}`);
  for (const example of tally.localExamples) {
    lines.push(`    row ${example.row} ${example.reason}: ${example.detail}`);
  }
  const unshown = tally.rejectedLocally - tally.localExamples.length;
  if (unshown > 0) lines.push(`    and ${count(unshown)} more`);
  if (rejectionFile) lines.push(`  rejected rows are in ${rejectionFile}`);
  return `${lines.join("\n")}\n`;
}

export function summaryJson({ kind, file, rejectionFile, elapsedMs, tally }: ImportSummary): string {
  return `${JSON.stringify(
    {
      kind,
      file,
      rowsRead: tally.rowsRead,
      eventsSent: tally.eventsSent,
      accepted: tally.accepted,
      ignored: tally.ignored,
      rejectedByIngestion: { count: tally.rejectedByIngestion, reasons: tally.ingestionReasons },
      rejectedLocally: { count: tally.rejectedLocally, examples: tally.localExamples },
      rejectionFile: rejectionFile ?? null,
      elapsedMs,
    },
    null,
    2,
  )}\n`;
}

function rowsText(rows: readonly number[]): string {
  return rows.length === 1 ? `row ${rows[0]}` : `rows ${rows.join(", ")}`;
}
