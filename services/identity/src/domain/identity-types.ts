import { createHash } from "node:crypto";
import type { Identifier } from "@rapport/events";

/** The id of a customer in Rapport, e.g. cus_3f9a…; a merged id stays an alias of its survivor. */
export type CustomerId = string;

/** An identifier as one string, `type:value` (email:ann@example.com): the key of the identity graph. */
export type IdentifierKey = string;

/** The id of a fact in crm.events (namespaced by ingestion, e.g. shop:order-1001). */
export type EventId = string;

/** An ISO-8601 UTC instant with milliseconds, as ingestion normalises every event time. */
export type EventTime = string;

/** When and by which event a customer first appeared in the graph. */
export type FirstSeen = { time: EventTime; eventId: EventId };

export function identifierKey(identifier: Identifier): IdentifierKey {
  return `${identifier.type}:${identifier.value}`;
}

export function identifierOfKey(key: IdentifierKey): Identifier {
  const separator = key.indexOf(":");
  return { type: key.slice(0, separator), value: key.slice(separator + 1) } as Identifier;
}

/**
 * The customer id an event founds when none of its identifiers is known. Derived from the event id
 * alone, so replaying the log from offset zero founds the same customers under the same ids.
 */
export function customerIdFoundedBy(eventId: EventId): CustomerId {
  return `cus_${sha256Hex(eventId).slice(0, 24)}`;
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Orders event times by instant; equal instants written differently fall back to the text, so the
 * order is total and every choice made with it is deterministic.
 */
export function compareEventTimes(a: EventTime, b: EventTime): number {
  const byInstant = Date.parse(a) - Date.parse(b);
  if (byInstant !== 0 && !Number.isNaN(byInstant)) return byInstant;
  return compareText(a, b);
}

/** Code-unit order, the same on every machine (localeCompare is not). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
