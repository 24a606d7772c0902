import { credentials, type ServiceError, status } from "@grpc/grpc-js";
import { crmTopics } from "@rapport/events";
import { createKafka, createKafkaMetrics, ensureTopics, startConsumerLoop } from "@rapport/kafka";
import { CustomerServiceClient, type GetCustomerResponse } from "@rapport/proto";
import { createMetricsRegistry } from "@rapport/telemetry";
import {
  infraEndpoints,
  metricSample,
  readTopic,
  type TopicRecord,
  uniqueName,
  waitFor,
} from "@rapport/testing";
import { Kafka, logLevel, type Producer } from "kafkajs";
import { MongoClient } from "mongodb";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerCache } from "../src/adapters/customer-cache.js";
import { createCustomerStore } from "../src/adapters/customer-store.js";
import { createCustomerWriter } from "../src/adapters/customer-writer.js";
import { createPopulationModels } from "../src/adapters/population-models.js";
import { scoringInputTopics } from "../src/adapters/projection.js";
import { createRescoreTracker } from "../src/adapters/rescore-tracker.js";
import { createScoringClock } from "../src/adapters/scoring-clock.js";
import { createScoringHandler } from "../src/adapters/scoring-handler.js";
import { type RunningScoringService, scoringTopics, startScoringService } from "../src/app.js";
import { loadScoringConfig } from "../src/config.js";
import { resolvedOrderMessage } from "./resolved-order.js";
import { day, settings } from "./scoring-fixtures.js";

// Scoring as a user runs it, fed on crm.events.resolved directly (as identity would feed it): a clock
// tick rescores every customer in parts of SCORING_RESCORE_CHUNK customers, each committed with its
// changes exactly once; a second instance stands by, answers reads, and takes over the writing when
// the first stops.

const endpoints = infraEndpoints();
const prefix = `${uniqueName("scoring-writer-it")}.`;
const topics = crmTopics(prefix);
const database = uniqueName("scoring-writer-it");
const fatalErrors: Error[] = [];
const running = new Set<RunningScoringService>();
const clients: CustomerServiceClient[] = [];
let producer: Producer;
let first: RunningScoringService;

function startScoring(instanceId: string) {
  return startScoringService({
    config: loadScoringConfig({
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(","),
      MONGODB_URI: endpoints.mongodbUri,
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_TOPIC_PARTITIONS: "3",
      HTTP_PORT: "0",
      GRPC_PORT: "0",
      LOG_LEVEL: "silent",
      SCORING_DATABASE: database,
      SCORING_CONSUMER_GROUP: `${prefix}scoring`,
      SCORING_SCHEDULER: "false",
      SCORING_RESCORE_CHUNK: "2",
      INSTANCE_ID: instanceId,
      IDENTITY_GRPC_ADDRESS: "127.0.0.1:1",
    }),
    logger: pino({ level: "silent" }),
    onFatal: (error) => fatalErrors.push(error),
  }).then((service) => {
    running.add(service);
    return service;
  });
}

async function stop(service: RunningScoringService) {
  running.delete(service);
  await service.stop();
}

function clientOf(service: RunningScoringService) {
  const client = new CustomerServiceClient(`127.0.0.1:${service.grpcPort}`, credentials.createInsecure());
  clients.push(client);
  return client;
}

function getCustomer(client: CustomerServiceClient, customerId: string): Promise<GetCustomerResponse> {
  return new Promise((resolve, reject) =>
    client.getCustomer(
      { subject: { $case: "customerId", value: customerId }, asOf: "" },
      (error, response) => (error ? reject(error) : resolve(response)),
    ),
  );
}

async function customerWhen(
  client: CustomerServiceClient,
  customerId: string,
  ready: (response: GetCustomerResponse) => boolean,
) {
  await waitFor(
    async () => {
      try {
        return ready(await getCustomer(client, customerId));
      } catch (error) {
        if ((error as ServiceError).code === status.NOT_FOUND) return false;
        throw error;
      }
    },
    { timeoutMs: 45_000, intervalMs: 250, description: `customer ${customerId}` },
  );
}

/** Orders of 10,000 KRW as identity appends them to crm.events.resolved. */
async function appendOrders(
  orders: readonly { customerId: string; orderId: string; time: string }[],
  topic = topics.resolvedEvents,
) {
  await producer.send({
    topic,
    acks: -1,
    messages: orders.map((order) => resolvedOrderMessage({ ...order, amountMinor: 10_000, currency: "KRW" })),
  });
}

const changesOf = (records: readonly TopicRecord[]) =>
  records.map((record) => JSON.parse(record.value ?? "{}") as { id: string; data: Record<string, string> });

const customers = ["cus_a", "cus_b", "cus_c", "cus_d", "cus_e"];

beforeAll(async () => {
  producer = new Kafka({ brokers: endpoints.kafkaBrokers, logLevel: logLevel.WARN }).producer();
  await producer.connect();
  first = await startScoring("scoring-1");
});

afterAll(async () => {
  for (const client of clients) client.close();
  for (const service of [...running]) await stop(service);
  await producer?.disconnect();
  expect(fatalErrors).toEqual([]);
});

describe("scoring's one writer, against a real Kafka broker and FerretDB", () => {
  it("rescores every customer once when the clock ticks, a part of two customers at a time, each change published once", async () => {
    const client = clientOf(first);
    await appendOrders(
      customers.map((customerId, i) => ({ customerId, orderId: `O-${customerId}`, time: day(i) })),
    );
    for (const customerId of customers)
      await customerWhen(client, customerId, (r) => r.customer?.lifecycleStage === "new_stage_1");

    await first.tick(new Date(day(200)));

    const isTickChange = (change: { data: Record<string, string> }) =>
      change.data.attribute === "lifecycle_stage" && change.data.causeEventId?.startsWith(`tick:${day(200)}`);
    const records = await readTopic(endpoints.kafkaBrokers, topics.customerChanges, {
      until: (read) => changesOf(read).filter(isTickChange).length >= customers.length,
      timeoutMs: 45_000,
    });
    const changes = changesOf(records);
    const lapsed = changes.filter(isTickChange);
    expect(lapsed.map((change) => change.data.customerId).sort()).toEqual(customers);
    expect(lapsed.every((change) => change.data.value === "lapsed")).toBe(true);
    expect(new Set(changes.map((change) => change.id)).size).toBe(changes.length);

    const requests = changesOf(
      await readTopic(endpoints.kafkaBrokers, topics.scoring, {
        until: (read) => changesOf(read).filter((r) => Array.isArray(r.data.customerIds)).length >= 3,
      }),
    ).filter((record) => (record as { type?: string }).type === "crm.v1.RescoreRequested");
    const chunks = requests.map((request) => request.data.customerIds as unknown as string[] | undefined);
    expect(chunks.filter((ids) => ids === undefined)).toHaveLength(1);
    const named = chunks.flatMap((ids) => ids ?? []);
    expect(named.sort()).toEqual(customers);
    expect(Math.max(...chunks.map((ids) => ids?.length ?? 0))).toBe(2);
    // Each request was handled and committed as a part of its own: the tick, the listing, three chunks.
    await waitFor(
      async () =>
        (metricSample(await first.registry.metrics(), "rapport_kafka_batch_duration_seconds_count", {
          topic: topics.scoring,
        }) ?? 0) >= 5,
      { timeoutMs: 10_000, description: "five parts of crm.scoring committed" },
    );
  });

  it("lets a second instance stand by and answer reads, and take over the writing when the first stops", async () => {
    const second = await startScoring("scoring-2");
    expect(first.isWriter()).toBe(true);
    expect(second.isWriter()).toBe(false);
    const standby = clientOf(second);
    expect((await getCustomer(standby, "cus_a")).customer?.lifecycleStage).toBe("lapsed");

    await stop(first);
    await waitFor(() => second.isWriter(), { timeoutMs: 20_000, description: "the standby to write" });
    await appendOrders([{ customerId: "cus_f", orderId: "O-cus_f", time: day(201) }]);
    await customerWhen(standby, "cus_f", (r) => r.customer?.orders?.orders === 1);
    const changes = changesOf(
      await readTopic(endpoints.kafkaBrokers, topics.customerChanges, {
        until: (read) => changesOf(read).some((change) => change.data.customerId === "cus_f"),
      }),
    );
    expect(new Set(changes.map((change) => change.id)).size).toBe(changes.length);
  });
});

describe("a part whose commit is lost after its customers were written", () => {
  it("is taken in once when it is handled again, and its changes are published once", async () => {
    const crashPrefix = `${uniqueName("scoring-crash-it")}.`;
    const crashTopics = crmTopics(crashPrefix);
    const kafka = createKafka({
      brokers: endpoints.kafkaBrokers,
      clientId: "scoring-crash-it",
      logger: pino({ level: "silent" }),
    });
    await ensureTopics(kafka, scoringTopics({ KAFKA_TOPIC_PREFIX: crashPrefix, KAFKA_TOPIC_PARTITIONS: 1 }));
    const mongo = new MongoClient(endpoints.mongodbUri);
    await mongo.connect();
    const db = mongo.db(uniqueName("scoring-crash-it"));
    const store = await createCustomerStore(db, { buckets: 1 });
    let attempts = 0;
    const loop = await startConsumerLoop({
      kafka,
      groupId: `${crashPrefix}scoring`,
      topics: scoringInputTopics(crashTopics),
      transactionalId: `${crashPrefix}scoring-writer`,
      deadLetterTopic: crashTopics.deadLetter,
      retry: { attempts: 3, initialDelayMs: 100, maxDelayMs: 500 },
      // Each attempt is a process started afresh: nothing in memory, the store as the last one left it.
      handleBatch: async (messages) => {
        const writer = createCustomerWriter({
          store,
          cache: customerCache(100),
          models: createPopulationModels(db),
          clock: createScoringClock(db),
          rescores: createRescoreTracker(),
          settings,
          build: `${crashPrefix}scoring`,
          rescoreChunk: 500,
        });
        await writer.start();
        const outcome = await createScoringHandler({ writer, topics: crashTopics, announces: true })(
          messages,
        );
        attempts += 1;
        if (attempts === 1) throw new Error("the process died before the part was committed");
        return outcome;
      },
      logger: pino({ level: "silent" }),
      metrics: createKafkaMetrics(createMetricsRegistry("scoring-crash-it")),
      onFatal: (error) => fatalErrors.push(error),
    });
    try {
      await appendOrders(
        [
          { customerId: "cus_x", orderId: "O-x1", time: day(0) },
          { customerId: "cus_y", orderId: "O-y1", time: day(1) },
          { customerId: "cus_x", orderId: "O-x2", time: day(2) },
          { customerId: "cus_x", orderId: "O-x3", time: day(3) },
        ],
        crashTopics.resolvedEvents,
      );
      // A later part's changes come after everything the first part published (one partition, in order).
      await waitFor(() => attempts >= 2, { timeoutMs: 30_000, description: "the part to be handled again" });
      await appendOrders(
        [{ customerId: "cus_z", orderId: "O-z1", time: day(4) }],
        crashTopics.resolvedEvents,
      );
      const changes = changesOf(
        await readTopic(endpoints.kafkaBrokers, crashTopics.customerChanges, {
          until: (read) => changesOf(read).some(({ data }) => data.customerId === "cus_z"),
        }),
      ).filter(({ data }) => data.customerId !== "cus_z");
      expect(attempts).toBeGreaterThanOrEqual(2);
      expect(
        changes
          .map(({ data }) => `${data.customerId} ${data.attribute}=${data.value} by ${data.causeEventId}`)
          .sort(),
      ).toEqual([
        "cus_x lifecycle_stage=active by shop:O-x3",
        "cus_x tier=purchasing by shop:O-x3",
        "cus_y lifecycle_stage=new_stage_1 by shop:O-y1",
        "cus_y tier=purchasing by shop:O-y1",
      ]);
      const [x] = await store.customersByIds(["cus_x"]);
      expect(x?.customer.summary).toMatchObject({ revenueMinor: 30_000 });
      expect(await store.factsOf(x as NonNullable<typeof x>)).toHaveLength(3);
    } finally {
      await loop.stop();
      await mongo.close();
    }
  });
});
