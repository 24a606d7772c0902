import { crmTopics } from "@rapport/events";
import {
  infraEndpoints,
  readTopic,
  type ServiceProcess,
  startServiceProcess,
  type TopicRecord,
  uniqueName,
} from "@rapport/testing";
import { Kafka, logLevel, Partitioners } from "kafkajs";
import { afterAll, describe, expect, it } from "vitest";
import { orderPlaced } from "./ingestion-harness.js";

const endpoints = infraEndpoints();
const prefix = `${uniqueName("ingestion-crash")}.`;
const topics = crmTopics(prefix);
const running: ServiceProcess[] = [];

afterAll(async () => {
  await Promise.all(running.map((service) => service.kill()));
});

/** Ingestion as its own process, the way it runs in production. */
async function startIngestionProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const service = await startServiceProcess({
    service: "ingestion",
    env: { ...env, GRPC_PORT: "0", LOG_LEVEL: "warn" },
  });
  running.push(service);
  return service;
}

const idsOf = (records: readonly TopicRecord[]) =>
  records.map((record) => JSON.parse(record.value ?? "{}").id as string);

describe("ingestion killed mid-stream", () => {
  it("has every accepted event in crm.events exactly once after a SIGKILL and a restart", {
    timeout: 180_000,
  }, async () => {
    const env = {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(","),
      MONGODB_URI: endpoints.mongodbUri,
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_TOPIC_PARTITIONS: "3",
      INGESTION_DATABASE: uniqueName("ingestion-crash"),
      INGESTION_CONSUMER_GROUP: `${prefix}ingestion`,
      // The same instance id after the restart: the new process fences the old one's open transaction.
      INSTANCE_ID: "crash-1",
      INGESTION_WRITE_KEYS: "shop=shop-key",
    };
    const first = await startIngestionProcess(env);

    const producer = new Kafka({ brokers: endpoints.kafkaBrokers, logLevel: logLevel.WARN }).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const chunks = 80;
    const perChunk = 50;
    const expectedIds = Array.from({ length: chunks * perChunk }, (_, i) => `shop:e-${i}`);
    let publishedAll = false;
    const publishing = (async () => {
      for (let chunk = 0; chunk < chunks; chunk++) {
        await producer.send({
          topic: topics.raw("orders"),
          messages: Array.from({ length: perChunk }, (_, i) => {
            const n = chunk * perChunk + i;
            return {
              key: `k-${n % 17}`,
              value: JSON.stringify({ ...orderPlaced(`e-${n}`, `C-${n % 250}`), source: "shop" }),
            };
          }),
        });
        // Paced like a live upstream, so that the kill lands while events are still arriving.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      publishedAll = true;
    })();

    // Kill while events are still flowing in and being appended.
    await readTopic(endpoints.kafkaBrokers, topics.events, {
      until: (records) => records.length >= 300,
      timeoutMs: 60_000,
    });
    expect(publishedAll, "events were still coming in when the process was killed").toBe(false);
    await first.kill();

    await publishing;
    await producer.disconnect();
    const second = await startIngestionProcess(env);
    const records = await readTopic(endpoints.kafkaBrokers, topics.events, {
      until: (seen) => seen.length >= expectedIds.length && new Set(idsOf(seen)).size >= expectedIds.length,
      timeoutMs: 90_000,
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n--- second process output ---\n${second.output()}`);
    });
    await second.stop();
    expect(second.exitCode()).toBe(0);

    const ids = idsOf(records);
    expect(new Set(ids)).toEqual(new Set(expectedIds));
    expect(ids).toHaveLength(expectedIds.length);
  });
});
