import type { RowRejection } from "./row-rejection.js";
import type { RowWarning } from "./row-warning.js";

/** A CloudEvent in structured JSON mode, as POST /v1/events takes it. */
export type CloudEventJson = Readonly<Record<string, unknown>>;

/** A row an event was made from: reported when ingestion rejects the event. */
export type RowOrigin = { row: number; record: unknown };

/**
 * What mapping makes of records: an event ready to send (from one or more rows), with the fields
 * its rows had that were left out of it, or a rejected row.
 */
export type MappedOutput =
  | { kind: "event"; event: CloudEventJson; origin: readonly RowOrigin[]; warnings: readonly RowWarning[] }
  | { kind: "rejected"; rejection: RowRejection };
