import type { ImportKind } from "./import-kind.js";
import type { ImportTally } from "./import-tally.js";
import { unvaluedReason, type ValuationCheck } from "./order-valuation.js";

/** The outcome of one import, as printed at the end. */
export type ImportSummary = {
  kind: ImportKind;
  file: string;
  /** Where rejected rows were written, when there were any. */
  rejectionFile: string | undefined;
  /** Where the fields left out of imported rows were written, when there were any. */
  warningFile: string | undefined;
  elapsedMs: number;
  tally: ImportTally;
  /** Orders only: whether scoring was asked which currencies it can value. */
  valuation?: ValuationCheck;
};

const count = (value: number) => value.toLocaleString("en-US");

export function summaryText({
  kind,
  file,
  rejectionFile,
  warningFile,
  elapsedMs,
  tally,
  valuation,
}: ImportSummary): string {
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
  if (tally.fieldsDropped > 0) lines.push(...droppedLines(tally, warningFile));
  if (valuation) lines.push(...valuationLines(valuation, tally));
  return `${lines.join("\n")}\n`;
}

/** Fields left out of rows that were sent without them: how many, the first few, and where the rest are. */
function droppedLines(tally: ImportTally, warningFile: string | undefined): string[] {
  const lines = [
    `  fields dropped          ${count(tally.fieldsDropped)} in ${count(tally.rowsWithDroppedFields)} ${tally.rowsWithDroppedFields === 1 ? "row" : "rows"} (sent without them)`,
    ...tally.droppedExamples.map(
      (warning) => `    row ${warning.row} ${warning.field} ${warning.reason}: ${warning.detail}`,
    ),
  ];
  const unshown = tally.fieldsDropped - tally.droppedExamples.length;
  if (unshown > 0) lines.push(`    and ${count(unshown)} more`);
  if (warningFile) lines.push(`  dropped fields are in ${warningFile}`);
  return lines;
}

/** Whether scoring can value the orders imported: a line per currency it cannot, saying why. */
function valuationLines(check: ValuationCheck, tally: ImportTally): string[] {
  if (!check.checked)
    return [
      `  currencies not checked: ${check.reason}`,
      "    orders in a currency scoring has no rate for count in no value or score",
    ];
  const { valuation } = check;
  const unvalued = tally.unvaluedOrders;
  if (unvalued.length === 0) return [`  valued in               ${valuation.reportingCurrency}, every order`];
  const orders = unvalued.reduce((total, entry) => total + entry.orders, 0);
  return [
    `  not valued              ${count(orders)} (in the log, but in no value or score until scoring has their rates)`,
    ...unvalued.map(
      ({ currency, orders: times, firstDay, lastDay }) =>
        `    ${currency} × ${count(times)}, ${firstDay === lastDay ? firstDay : `${firstDay} to ${lastDay}`}: ` +
        unvaluedReason(currency, valuation),
    ),
  ];
}

export function summaryJson({
  kind,
  file,
  rejectionFile,
  warningFile,
  elapsedMs,
  tally,
  valuation,
}: ImportSummary): string {
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
      fieldsDropped: {
        count: tally.fieldsDropped,
        rows: tally.rowsWithDroppedFields,
        examples: tally.droppedExamples,
      },
      warningFile: warningFile ?? null,
      valuation: valuation ? valuationJson(valuation, tally) : null,
      elapsedMs,
    },
    null,
    2,
  )}\n`;
}

function valuationJson(check: ValuationCheck, tally: ImportTally) {
  if (!check.checked) return { checked: false, reason: check.reason };
  return {
    checked: true,
    reportingCurrency: check.valuation.reportingCurrency,
    unvaluedOrders: tally.unvaluedOrders.map((entry) => ({
      ...entry,
      reason: unvaluedReason(entry.currency, check.valuation),
    })),
  };
}

function rowsText(rows: readonly number[]): string {
  return rows.length === 1 ? `row ${rows[0]}` : `rows ${rows.join(", ")}`;
}
