import type { CrmTopics, CustomerEvent } from "@rapport/events";
import type { OutgoingRecord } from "@rapport/kafka";
import type { IdentityEvent } from "../domain/identity-events.js";
import { type CustomerId, sha256Hex } from "../domain/identity-types.js";

/** The CloudEvents source of everything the identity service emits. */
export const identitySource = "rapport/identity";

/**
 * The event as it goes on crm.events.resolved: unchanged, with the customer id as the CloudEvents
 * extension attribute `customerid`, keyed by that id so each customer's events stay in order.
 */
export function resolvedEventRecord(
  topics: CrmTopics,
  event: CustomerEvent,
  customerId: CustomerId,
  headers: Record<string, string>,
): OutgoingRecord {
  return {
    topic: topics.resolvedEvents,
    key: customerId,
    value: JSON.stringify({ ...event, customerid: customerId }),
    headers,
  };
}

/**
 * An identity event as a CloudEvent on crm.identity (type crm.v1.<Type>), keyed by the customer it
 * leaves standing. Its id derives from the fact that caused it and its place among that fact's
 * identity events, so publishing a decision again gives the same ids.
 */
export function identityEventRecord(
  topics: CrmTopics,
  event: IdentityEvent,
  position: number,
  headers: Record<string, string>,
): OutgoingRecord {
  const { type, ...data } = event;
  return {
    topic: topics.identity,
    key: keyOf(event),
    value: JSON.stringify({
      specversion: "1.0",
      id: identityEventId(event, position),
      source: identitySource,
      type: `crm.v1.${type}`,
      time: event.time,
      datacontenttype: "application/json",
      data,
    }),
    headers,
  };
}

function identityEventId(event: IdentityEvent, position: number): string {
  return `identity:${sha256Hex(`${event.eventId}#${position}#${event.type}`).slice(0, 32)}`;
}

/** A decision publishes fewer identity events than this (its links, one merge, its matches). */
const maxPosition = 1_000;

/**
 * An identity event read back from crm.identity, with its place among its decision's events: the
 * records of one decision go to the partitions of different customers, and the id is the one place
 * that keeps their order. An error names what the record lacks.
 */
export function identityEventOfRecord(value: Buffer | null): { event: IdentityEvent; position: number } {
  const envelope = JSON.parse(value?.toString("utf8") ?? "null") as {
    id?: unknown;
    type?: unknown;
    data?: Record<string, unknown>;
  } | null;
  if (
    typeof envelope?.type !== "string" ||
    !envelope.type.startsWith("crm.v1.") ||
    envelope.data === undefined
  )
    throw new Error("the record is not an identity event: no crm.v1.<Type> type with data");
  const event = { type: envelope.type.slice("crm.v1.".length), ...envelope.data } as IdentityEvent;
  for (let position = 0; position < maxPosition; position += 1) {
    if (identityEventId(event, position) === envelope.id) return { event, position };
  }
  throw new Error(`identity event ${String(envelope.id)} has an id its fact ${event.eventId} does not give`);
}

/** An event read back from crm.events.resolved: the event, and the customer it was resolved to. */
export function resolvedEventOfRecord(value: Buffer | null): {
  event: CustomerEvent;
  customerId: CustomerId;
} {
  const { customerid, ...event } = JSON.parse(value?.toString("utf8") ?? "null") as CustomerEvent & {
    customerid?: unknown;
  };
  if (typeof customerid !== "string" || typeof event.id !== "string")
    throw new Error("the record is not a resolved event: no id and customerid");
  return { event: event as CustomerEvent, customerId: customerid };
}

function keyOf(event: IdentityEvent): CustomerId | null {
  switch (event.type) {
    case "IdentifierLinked":
    case "LinkRefused":
    case "CustomerSplit":
      return event.customerId;
    case "CustomersMerged":
      return event.survivor;
    case "MergeRefused":
    case "MatchProposed":
      return event.customers[0];
    case "MatchDecided":
    case "DecisionRefused":
      return null;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}
