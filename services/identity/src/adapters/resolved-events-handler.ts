import type { CrmTopics, CustomerEvent } from "@rapport/events";
import {
  type BatchHandler,
  type ConsumedMessage,
  type OutgoingRecord,
  type PoisonMessage,
  traceHeaders,
} from "@rapport/kafka";
import type { Counter } from "@rapport/telemetry";
import type { Resolution, UnresolvableEvent } from "../domain/resolution.js";
import type { PartPlace } from "./graph-writer.js";
import { identityEventRecord, resolvedEventRecord } from "./identity-records.js";

export type ResolvedEventsHandlerDependencies = {
  /** Resolves a part's events in order: one outcome per event; `place` says where the part is. */
  resolveEvents: (
    events: readonly CustomerEvent[],
    place: PartPlace | undefined,
  ) => Promise<(Resolution | UnresolvableEvent)[]>;
  topics: CrmTopics;
  metrics: { resolved: Counter<"merged">; identityEvents: Counter<"type"> };
};

/**
 * Resolves a part of crm.events in one unit of work: each event goes to crm.events.resolved with its
 * customer id, and the identity events its resolution caused go to crm.identity. A record that is not
 * an event with identifiers (ingestion never appends one) is poison: it goes to the dead-letter topic.
 */
export function createResolvedEventsHandler(deps: ResolvedEventsHandlerDependencies): BatchHandler {
  return async (messages) => {
    const poison: PoisonMessage[] = [];
    const events: { message: ConsumedMessage; event: CustomerEvent }[] = [];
    for (const message of messages) {
      const event = customerEventOf(message.value);
      if (typeof event === "string") poison.push({ message, reason: "invalid_event", detail: event });
      else events.push({ message, event });
    }
    const outcomes = await deps.resolveEvents(
      events.map(({ event }) => event),
      placeOf(messages),
    );
    const records: OutgoingRecord[] = [];
    events.forEach(({ message, event }, index) => {
      const resolution = outcomes[index];
      if (resolution === undefined || resolution.kind === "unresolvable") {
        poison.push({
          message,
          reason: "no_identifiers",
          detail: "the event names no identifier to resolve",
        });
        return;
      }
      const headers = traceHeaders(message.traceContext);
      records.push(resolvedEventRecord(deps.topics, event, resolution.customerId, headers));
      resolution.identityEvents.forEach((identityEvent, position) => {
        records.push(identityEventRecord(deps.topics, identityEvent, position, headers));
        deps.metrics.identityEvents.inc({ type: identityEvent.type });
      });
      const merged = resolution.identityEvents.some(({ type }) => type === "CustomersMerged");
      deps.metrics.resolved.inc({ merged: String(merged) });
    });
    return { records, poison };
  };
}

/** Where the part is in its partition: a part is consumed from one partition, in offset order. */
function placeOf(messages: readonly ConsumedMessage[]): PartPlace | undefined {
  const [first] = messages;
  const last = messages.at(-1);
  if (first === undefined || last === undefined) return undefined;
  return {
    topic: first.topic,
    partition: first.partition,
    firstOffset: first.offset,
    nextOffset: (BigInt(last.offset) + 1n).toString(),
  };
}

/** The event, or why the record is not one. */
function customerEventOf(value: Buffer | null): CustomerEvent | string {
  if (value === null) return "the record has no value";
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString("utf8"));
  } catch (error) {
    return `the value is not JSON: ${(error as Error).message}`;
  }
  const event = parsed as Partial<CustomerEvent> | null;
  if (typeof event?.id !== "string" || typeof event.time !== "string" || typeof event.source !== "string")
    return "the value is not a CloudEvent with id, source and time";
  if (!Array.isArray(event.data?.customer?.identifiers)) return "the event has no data.customer.identifiers";
  return event as CustomerEvent;
}
