import {
  createRecordMapper,
  type FileColumns,
  type ImportKind,
  type ImportSettings,
  type MappedOutput,
  needsOrderIndex,
  noteOrderRow,
  parseFieldMap,
  planImport,
  type SourceRecord,
} from "../src/index.js";

export type FixtureOptions = { settings?: Partial<ImportSettings>; map?: string[] };

/** A CSV file as a header and rows; row numbers are the file's lines, the header being line 1. */
export function csvRecords(header: readonly string[], rows: readonly (readonly string[])[]): SourceRecord[] {
  return rows.map((cells, index) => ({
    kind: "cells",
    row: index + 2,
    cells: Object.fromEntries(header.map((column, position) => [column, cells[position] ?? ""])),
  }));
}

/** Maps records the way `rapport import` does, both passes included, and returns everything it made. */
export function mapFile(
  kind: ImportKind,
  columns: FileColumns,
  records: readonly SourceRecord[],
  { settings = {}, map = [] }: FixtureOptions = {},
): MappedOutput[] {
  const fieldMap = parseFieldMap(map, kind);
  if (!fieldMap.ok) throw new Error(fieldMap.detail);
  const plan = planImport(kind, fieldMap.value, columns, {
    timeZone: "UTC",
    identifierRules: { defaultPhoneRegion: "KR" },
    ...settings,
  });
  if (!plan.ok) throw new Error(plan.detail);
  const lastRowOf = new Map<string, number>();
  if (needsOrderIndex(plan.value)) for (const record of records) noteOrderRow(lastRowOf, record, plan.value);
  const mapper = createRecordMapper(
    plan.value,
    needsOrderIndex(plan.value) ? { kind: "complete_at_last_row", lastRowOf } : { kind: "row_is_order" },
  );
  return [...records.flatMap((record) => mapper.add(record)), ...mapper.finish()];
}

export function mapCsv(
  kind: ImportKind,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options?: FixtureOptions,
): MappedOutput[] {
  return mapFile(kind, { kind: "header", names: header }, csvRecords(header, rows), options);
}

export function eventsOf(outputs: readonly MappedOutput[]) {
  return outputs.flatMap((output) => (output.kind === "event" ? [output.event] : []));
}

export function rejectionsOf(outputs: readonly MappedOutput[]) {
  return outputs.flatMap((output) =>
    output.kind === "rejected"
      ? [{ row: output.rejection.row, reason: output.rejection.reason, detail: output.rejection.detail }]
      : [],
  );
}
