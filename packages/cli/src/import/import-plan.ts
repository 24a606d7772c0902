import { type ColumnPlan, type FileColumns, planColumns } from "./column-plan.js";
import type { CustomerColumns } from "./customer-registration.js";
import type { FieldMap } from "./field-map.js";
import { type ImportKind, identifierFields } from "./import-kind.js";
import type { ImportSettings } from "./import-settings.js";
import type { OrderColumns } from "./order-line.js";
import { type Parsed, parsedValue, parseProblem } from "./parsed.js";

/** How the rows of one file become events: decided once, before the first row is read. */
export type ImportPlan =
  | { kind: "orders"; orders: OrderColumns }
  | { kind: "customers"; customers: CustomerColumns };

/**
 * Checks that the file can give every required field at all, so a wrong --map fails at once
 * instead of rejecting every row. An NDJSON file with no flat records (only CloudEvents) has
 * nothing to check.
 */
export function planImport(
  kind: ImportKind,
  fieldMap: FieldMap,
  fileColumns: FileColumns,
  settings: ImportSettings,
): Parsed<ImportPlan> {
  const planned = planColumns(kind, fieldMap, fileColumns);
  if (!planned.ok) return planned;
  const columns = planned.value;
  const checked = fileColumns.kind === "header" || fileColumns.names.length > 0;
  const problems = checked ? missingFields(kind, columns, settings) : [];
  if (problems.length > 0) {
    const where = fileColumns.kind === "header" ? "its header" : "its first record";
    const names = fileColumns.names.map((name) => `"${name}"`).join(", ");
    return parseProblem(
      `the file cannot be imported as ${kind}:\n${problems.map((problem) => `  - ${problem}`).join("\n")}\n(${where} has ${names}; use --map field=column)`,
    );
  }
  switch (kind) {
    case "orders":
      return parsedValue({ kind, orders: { columns, settings, hasItems: columns.isPresent("product_id") } });
    case "customers":
      return parsedValue({ kind, customers: { columns, settings } });
    default: {
      const unhandled: never = kind;
      return unhandled;
    }
  }
}

function missingFields(kind: ImportKind, columns: ColumnPlan, settings: ImportSettings): string[] {
  const has = (field: Parameters<ColumnPlan["isPresent"]>[0]) => columns.isPresent(field);
  const problems: string[] = [];
  const require = (condition: boolean, problem: string) => {
    if (!condition) problems.push(problem);
  };
  switch (kind) {
    case "orders": {
      require(has("order_id"), "no order_id column");
      require(identifierFields.some(has), `no customer column: one of ${identifierFields.join(", ")}`);
      require(has("time"), "no time column (the order date)");
      require(has("currency") ||
        settings.defaultCurrency !== undefined, "no currency column and no --currency");
      require(!(has("amount") && has("amount_minor")), "both amount and amount_minor; map only one");
      if (has("product_id")) {
        require(has("unit_price"), "item columns need unit_price as well as product_id");
      } else {
        require(!has("unit_price"), "unit_price without product_id; map product_id to import line items");
        require(has("amount") ||
          has(
            "amount_minor",
          ), "no amount (or amount_minor) column, and no item columns (product_id, unit_price) to add up");
      }
      return problems;
    }
    case "customers":
      require(identifierFields.some(has), `no identifier column: one of ${identifierFields.join(", ")}`);
      require(has("time") ||
        settings.registeredAt !== undefined, "no time column (registration time) and no --registered-at");
      return problems;
    default: {
      const unhandled: never = kind;
      return unhandled;
    }
  }
}
