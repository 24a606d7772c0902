/** Why input was rejected; the same names as the RejectionReason enum of crm/v1/ingestion.proto. */
export type RejectionReason =
  | "unparseable"
  | "unknown_type"
  | "schema_violation"
  | "missing_identifier"
  | "invalid_identifier"
  | "invalid_timestamp"
  | "future_timestamp"
  | "oversized"
  | "source_mismatch";

export type Rejected = { ok: false; reason: RejectionReason; detail: string };

export function rejected(reason: RejectionReason, detail: string): Rejected {
  return { ok: false, reason, detail };
}
