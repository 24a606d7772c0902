import type { FieldMap } from "./field-map.js";
import { fieldsOf, type ImportField, type ImportKind } from "./import-kind.js";
import { type Parsed, parsedValue, parseProblem } from "./parsed.js";

/** Where each field is read from in a record. */
export type ColumnPlan = {
  /** The column to read the field from, or undefined when the file has no such column. */
  columnOf(field: ImportField): string | undefined;
  /** Whether the file has the field at all; decides which rules apply (items, amount, currency). */
  isPresent(field: ImportField): boolean;
};

/**
 * How the file names its columns. A CSV header is authoritative. NDJSON records may each leave out
 * keys, so its "columns" are the keys of the first flat record (used to decide what the file has),
 * and every field is still looked up under its own name in every record.
 */
export type FileColumns =
  | { kind: "header"; names: readonly string[] }
  | { kind: "sample"; names: readonly string[] };

/** Resolves the fields of an import: mapped ones to their column, the rest to a column of the same name. */
export function planColumns(kind: ImportKind, fieldMap: FieldMap, columns: FileColumns): Parsed<ColumnPlan> {
  const names = new Set(columns.names);
  if (columns.kind === "header") {
    const missing = [...fieldMap].filter(([, column]) => !names.has(column));
    if (missing.length > 0) {
      const described = missing.map(([field, column]) => `"${column}" (for ${field})`).join(", ");
      return parseProblem(
        `--map names ${describeCount(missing.length, "column")} the file does not have: ${described}; its columns are ${columns.names.map((name) => `"${name}"`).join(", ")}`,
      );
    }
  }
  const presentColumn = new Map<ImportField, string>();
  for (const field of fieldsOf(kind)) {
    const column = fieldMap.get(field) ?? field;
    if (fieldMap.has(field) || names.has(column)) presentColumn.set(field, column);
  }
  return parsedValue({
    columnOf: (field) => presentColumn.get(field) ?? (columns.kind === "sample" ? field : undefined),
    isPresent: (field) => presentColumn.has(field),
  });
}

function describeCount(count: number, noun: string): string {
  return count === 1 ? `a ${noun}` : `${count} ${noun}s`;
}
