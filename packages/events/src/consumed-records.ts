import type { CustomerEvent } from "./customer-event.js";
import { isEventType } from "./event-types.js";

/** A record's value as JSON, or why it is not JSON. */
export function recordJson(
  value: Buffer | null,
): { ok: true; value: unknown } | { ok: false; problem: string } {
  if (value === null) return { ok: false, problem: "the record has no value" };
  try {
    return { ok: true, value: JSON.parse(value.toString("utf8")) };
  } catch (error) {
    return { ok: false, problem: `the value is not JSON: ${(error as Error).message}` };
  }
}

/**
 * The event of a crm.events.resolved record and the customer id identity gave it (the `customerid`
 * extension attribute), or why the record is not one. The data was validated by ingestion; this
 * checks the envelope only.
 */
export function resolvedEventOf(value: Buffer | null): { customerId: string; event: CustomerEvent } | string {
  const parsed = recordJson(value);
  if (!parsed.ok) return parsed.problem;
  const event = parsed.value as Partial<CustomerEvent> & { customerid?: unknown };
  if (typeof event?.customerid !== "string" || event.customerid === "")
    return "the event has no customerid attribute (crm.events.resolved carries identity's customer id)";
  if (typeof event.id !== "string" || typeof event.time !== "string" || Number.isNaN(Date.parse(event.time)))
    return "the value is not a CloudEvent with id and time";
  if (!isEventType(event.type)) return `${JSON.stringify(event.type)} is not an event type of the catalog`;
  if (typeof event.data !== "object" || event.data === null) return "the event has no data";
  return { customerId: event.customerid, event: event as CustomerEvent };
}

/** Customers identity merged into a survivor (crm.identity CustomersMerged). */
export type CustomersMerged = { eventId: string; survivor: string; merged: string[] };

/** The merge a crm.identity record announces; undefined for identity's other events. */
export function customersMergedOf(value: Buffer | null): CustomersMerged | undefined | string {
  const parsed = recordJson(value);
  if (!parsed.ok) return parsed.problem;
  const event = parsed.value as {
    type?: unknown;
    id?: unknown;
    data?: { survivor?: unknown; merged?: unknown };
  };
  if (event?.type !== "crm.v1.CustomersMerged") return undefined;
  const { survivor, merged } = event.data ?? {};
  if (typeof survivor !== "string" || !Array.isArray(merged) || typeof event.id !== "string")
    return "a CustomersMerged needs an id, data.survivor and data.merged";
  return { survivor, merged: merged.map(String), eventId: event.id };
}
