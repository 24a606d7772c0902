import { type CustomerEvent, crmTopics, type Identifier } from "@rapport/events";
import type { Producer } from "kafkajs";
import type { IdentityConfig } from "../src/config.js";
import { loadIdentityConfig } from "../src/config.js";
import { identifierKey } from "../src/domain/identity-types.js";

/**
 * The store layout of the tests: a few buckets, so that documents that belong together land in
 * different collections (what the production default of 256 does) without a thousand collections per
 * test database.
 */
export const testStoreLayout = { buckets: 8 };

/** Identity configured for one test: its own topics, database, consumer group, instance and ports. */
export function testIdentityConfig(
  endpoints: { kafkaBrokers: readonly string[]; mongodbUri: string },
  names: { prefix: string; database: string; group: string; instance: string },
): IdentityConfig {
  return loadIdentityConfig({
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(","),
    MONGODB_URI: endpoints.mongodbUri,
    KAFKA_TOPIC_PREFIX: names.prefix,
    KAFKA_TOPIC_PARTITIONS: "6",
    IDENTITY_DATABASE: names.database,
    IDENTITY_STORE_BUCKETS: String(testStoreLayout.buckets),
    IDENTITY_CONSUMER_GROUP: names.group,
    INSTANCE_ID: names.instance,
    HTTP_PORT: "0",
    GRPC_PORT: "0",
    LOG_LEVEL: "silent",
  });
}

/** A crm.events event as ingestion appends it: normalised identifiers, UTC time. */
export function customerEvent(
  id: string,
  identifiers: Identifier[],
  time: string,
  options: {
    source?: string;
    traits?: CustomerEvent["data"]["customer"]["traits"];
    preferences?: Record<string, string>;
  } = {},
): CustomerEvent {
  const source = options.source ?? id.split(":")[0] ?? "shop";
  return {
    specversion: "1.0",
    id,
    source,
    type: "crm.v1.PageViewed",
    time,
    datacontenttype: "application/json",
    data: {
      customer: { identifiers, ...(options.traits === undefined ? {} : { traits: options.traits }) },
      url: "https://shop.example/",
      ...(options.preferences === undefined ? {} : { preferences: options.preferences }),
    },
  };
}

/** Publishes events to crm.events as ingestion does: keyed by the strongest identifier. */
export async function appendToLog(producer: Producer, prefix: string, events: readonly CustomerEvent[]) {
  await producer.send({
    topic: crmTopics(prefix).events,
    acks: -1,
    messages: events.map((event) => {
      const [first] = event.data.customer.identifiers;
      return { key: first ? identifierKey(first) : event.id, value: JSON.stringify(event) };
    }),
  });
}
