import type { ColumnPlan } from "./column-plan.js";
import type { ImportField } from "./import-kind.js";

/**
 * One record of the input file as the reader hands it over. `row` is the file's line number
 * (the CSV header is line 1), which is what people look up in an editor.
 */
export type SourceRecord =
  | { kind: "cells"; row: number; cells: Readonly<Record<string, string>> }
  /** An NDJSON line that is already a CloudEvent: sent exactly as written. */
  | { kind: "cloud_event"; row: number; event: Readonly<Record<string, unknown>> }
  | { kind: "unreadable"; row: number; detail: string; text: string };

/** Reads a field of a flat record: trimmed, and undefined when the column is missing or blank. */
export type CellReader = (field: ImportField) => string | undefined;

export function cellReader(cells: Readonly<Record<string, string>>, plan: ColumnPlan): CellReader {
  return (field) => {
    const column = plan.columnOf(field);
    const text = column === undefined ? undefined : cells[column]?.trim();
    return text === "" ? undefined : text;
  };
}

/** What is kept of a record in the rejection file, so a rejected row can be fixed and imported again. */
export function rawRecordOf(record: SourceRecord): unknown {
  switch (record.kind) {
    case "cells":
      return record.cells;
    case "cloud_event":
      return record.event;
    case "unreadable":
      return record.text;
    default: {
      const unhandled: never = record;
      return unhandled;
    }
  }
}
