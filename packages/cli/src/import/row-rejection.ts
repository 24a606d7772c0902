/** Why the importer itself did not send a row; ingestion's own reasons come back in its answer. */
export type LocalRejectionReason =
  | "unparseable"
  | "missing_field"
  | "missing_identifier"
  | "invalid_amount"
  | "invalid_currency"
  | "invalid_quantity"
  | "invalid_time"
  | "duplicate_key"
  | "inconsistent_order"
  | "order_incomplete";

/** A row that was not sent, with everything needed to fix it: where it is, why, and what it held. */
export type RowRejection = { row: number; reason: LocalRejectionReason; detail: string; record: unknown };
