import type { ImportField } from "./import-kind.js";

/** Why an optional field was left out of the event; the row itself was imported without it. */
export type WarningReason = "invalid_identifier" | "invalid_date" | "invalid_country_code" | "too_long";

/** A field dropped from an imported row: where, which, what it held and why. */
export type RowWarning = {
  row: number;
  field: ImportField;
  value: string;
  reason: WarningReason;
  detail: string;
};
