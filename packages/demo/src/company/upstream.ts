import type { CustomerReference, EventType, Identifier, RawSource } from "@rapport/events";

/** An event as an upstream system sends it: a CloudEvent with the time as an ISO string. */
export type UpstreamEvent = {
  specversion: "1.0";
  id: string;
  /** Set on raw-topic events (the shop, the call center); HTTP events take the write key's source. */
  source?: string;
  type: EventType;
  time: string;
  data: { customer: CustomerReference } & Record<string, unknown>;
};

/**
 * One thing the company sends, in the way it reaches ingestion: to a Kafka raw topic, in a batch to
 * POST /v1/events, or as an access-log line to POST /v1/weblogs.
 */
export type Delivery =
  | { path: "kafka"; lane: RawSource; at: number; event: UpstreamEvent }
  | { path: "http"; at: number; event: UpstreamEvent }
  | { path: "weblog"; at: number; line: string };

export function upstreamEvent(
  id: string,
  type: EventType,
  at: number,
  identifiers: Identifier[],
  details: Record<string, unknown>,
  source?: string,
): UpstreamEvent {
  return {
    specversion: "1.0",
    id,
    ...(source === undefined ? {} : { source }),
    type,
    time: new Date(at).toISOString(),
    data: { customer: { identifiers }, ...details },
  };
}

/** The event with the person's traits (name, birth date, address) beside its identifiers, for matching. */
export function withTraits(
  event: UpstreamEvent,
  traits: NonNullable<CustomerReference["traits"]>,
): UpstreamEvent {
  return { ...event, data: { ...event.data, customer: { ...event.data.customer, traits } } };
}
