import type { DeadLetterEntry } from "./dead-letter-entry.js";

/** Which dead letters a `dlq list` or `dlq redrive --reason` is about; every given condition must hold. */
export type DlqFilter = {
  reason?: string;
  /** The original topic, the front door's path (`http`, `grpc`), or `front-door` for either path. */
  topic?: string;
  /** Rejected at or after. */
  since?: Date;
};

export function matchesDlqFilter(entry: DeadLetterEntry, filter: DlqFilter): boolean {
  if (filter.reason !== undefined && entry.reason !== filter.reason) return false;
  if (filter.topic !== undefined) {
    const from = entry.origin.kind === "frontDoor" ? ["front-door", entry.origin.path] : [entry.origin.topic];
    if (!from.includes(filter.topic)) return false;
  }
  if (filter.since !== undefined && entry.rejectedAt.getTime() < filter.since.getTime()) return false;
  return true;
}
