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
      id: `identity:${sha256Hex(`${event.eventId}#${position}#${type}`).slice(0, 32)}`,
      source: identitySource,
      type: `crm.v1.${type}`,
      time: event.time,
      datacontenttype: "application/json",
      data,
    }),
    headers,
  };
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
      return null;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}
