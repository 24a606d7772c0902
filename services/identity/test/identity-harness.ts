import { type CustomerEvent, crmTopics, type Identifier } from "@rapport/events";
import { type LoggedRecord, readOffsetRanges } from "@rapport/kafka";
import { waitFor } from "@rapport/testing";
import type { Kafka, Producer } from "kafkajs";
import type { Db } from "mongodb";
import { pino } from "pino";
import { createGraphCache } from "../src/adapters/graph-cache.js";
import { createGraphWriter } from "../src/adapters/graph-writer.js";
import { identityEventOfRecord } from "../src/adapters/identity-records.js";
import { createIdentityStore } from "../src/adapters/identity-store.js";
import { decisionLogTopic } from "../src/adapters/identity-topics.js";
import { createMatchStore } from "../src/adapters/match-store.js";
import { createProbabilisticMatcher } from "../src/adapters/probabilistic-matcher.js";
import type { IdentityConfig } from "../src/config.js";
import { loadIdentityConfig } from "../src/config.js";
import { defaultIdentityRules } from "../src/domain/identifier-rules.js";
import { type IdentityEvent, isPersonDecisionEvent } from "../src/domain/identity-events.js";
import { identifierKey } from "../src/domain/identity-types.js";
import type { MatchThresholds } from "../src/domain/matching/match-policy.js";

/**
 * The store layout of the tests: a few buckets, so that documents that belong together land in
 * different collections (as in databases built for the unpatched FerretDB, with 256) and every read
 * and write by `_id` lists is exercised across collections.
 */
export const testStoreLayout = { buckets: 8 };

/**
 * Identity's graph on a test database as the writer instance has it: its store, match store, matcher
 * and writer, with default rules; `resolve` resolves one event as a part of one.
 */
export async function testGraph(
  db: Db,
  matching: { thresholds: MatchThresholds; minRecords: number } = {
    thresholds: { autoMerge: 0.9, review: 0.8 },
    minRecords: 1_000,
  },
) {
  const store = await createIdentityStore(db, testStoreLayout);
  await store.ensureIndexes();
  const matches = await createMatchStore(db, testStoreLayout);
  await matches.ensureIndexes();
  const matcher = createProbabilisticMatcher(store, matches, matching, pino({ level: "silent" }));
  await matcher.loadModel();
  const writer = createGraphWriter({
    store,
    matches,
    matcher,
    rules: defaultIdentityRules,
    survivorship: { sourcePriority: [] },
    cache: createGraphCache({ customers: 1_000, identifiers: 4_000, sourceRecords: 4_000 }),
  });
  const resolve = async (event: CustomerEvent) => {
    const [outcome] = await writer.resolveEvents([event]);
    if (outcome === undefined) throw new Error(`no outcome for ${event.id}`);
    return outcome;
  };
  return { store, matches, matcher, writer, resolve };
}

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

/** Every record of a topic up to its end now (committed ones), partition after partition in offset order. */
export async function readToEnd(kafka: Kafka, topic: string): Promise<LoggedRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ranges = (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({
      partition,
      from: 0n,
      to: BigInt(high),
    }));
    const records: LoggedRecord[] = [];
    await readOffsetRanges(kafka, topic, ranges, (record) => {
      records.push(record);
    });
    return records;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until the graph writer has applied every decision logged so far and committed what it
 * published: its consumer group's offsets on the decision log are at the log's end.
 */
export async function decisionsCommitted(kafka: Kafka, prefix: string, group: string): Promise<void> {
  const topic = decisionLogTopic(prefix);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await waitFor(
      async () => {
        const [ends, [committed]] = await Promise.all([
          admin.fetchTopicOffsets(topic),
          admin.fetchOffsets({ groupId: group, topics: [topic] }),
        ]);
        const at = new Map(committed?.partitions.map(({ partition, offset }) => [partition, BigInt(offset)]));
        return ends.every(({ partition, high }) => BigInt(high) === 0n || at.get(partition) === BigInt(high));
      },
      { description: `${group} to have applied the decision log ${topic}`, timeoutMs: 30_000 },
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * What crm.identity holds of people's decisions (splits, decisions on proposals and the merges they
 * made, refusals), in the order they were taken, each decision's events in their order.
 */
export async function personDecisionEvents(kafka: Kafka, prefix: string): Promise<IdentityEvent[]> {
  const logged = (await readToEnd(kafka, crmTopics(prefix).identity)).map((record) =>
    identityEventOfRecord(record.value),
  );
  return logged
    .filter(({ event }) => isPersonDecisionEvent(event) || event.eventId.startsWith("decision:"))
    .sort(
      (a, b) =>
        a.event.time.localeCompare(b.event.time) ||
        a.event.eventId.localeCompare(b.event.eventId) ||
        a.position - b.position,
    )
    .map(({ event }) => event);
}
