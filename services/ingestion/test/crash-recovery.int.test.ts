import { crmTopics } from "@rapport/events";
import {
  infraEndpoints,
  readTopic,
  type ServiceProcess,
  startOtlpReceiver,
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

describe("ingestion stopped with SIGTERM", () => {
  it("exports the spans it has not sent yet before it exits", { timeout: 120_000 }, async () => {
    const receiver = await startOtlpReceiver();
    // Topics of its own: the raw topics above hold thousands of events this process would append again.
    const ownPrefix = `${uniqueName("ingestion-traces")}.`;
    const ownTopics = crmTopics(ownPrefix);
    try {
      const service = await startIngestionProcess({
        KAFKA_BROKERS: endpoints.kafkaBrokers.join(","),
        MONGODB_URI: endpoints.mongodbUri,
        KAFKA_TOPIC_PREFIX: ownPrefix,
        KAFKA_TOPIC_PARTITIONS: "3",
        INGESTION_DATABASE: uniqueName("ingestion-traces"),
        INGESTION_CONSUMER_GROUP: `${ownPrefix}ingestion`,
        INSTANCE_ID: "traces-1",
        INGESTION_WRITE_KEYS: "shop=shop-key",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.tracesUrl,
        // Nothing leaves on the batch processor's schedule during the test: only the flush at exit.
        OTEL_BSP_SCHEDULE_DELAY: "600000",
      });
      const traceId = "5b8efff798038103d269b633813fc60c";
      const response = await fetch(`${service.httpUrl}/v1/events`, {
        method: "POST",
        headers: {
          authorization: "Bearer shop-key",
          "content-type": "application/json",
          traceparent: `00-${traceId}-eee19b7ec3c1b174-01`,
        },
        body: JSON.stringify(orderPlaced("o-exported", "C-EXPORTED")),
      });
      expect(response.status).toBe(202);
      await readTopic(endpoints.kafkaBrokers, ownTopics.events, {
        until: (records) => idsOf(records).includes("shop:o-exported"),
        timeoutMs: 60_000,
      });
      expect(receiver.spans()).toEqual([]);

      await service.stop();
      expect(service.exitCode()).toBe(0);
      const names = receiver
        .spans()
        .filter((span) => span.traceId === traceId && span.serviceName === "rapport-ingestion")
        .map((span) => span.name);
      expect(names).toEqual(
        expect.arrayContaining(["POST /v1/events", `${ownTopics.raw("orders")} process`]),
      );
    } finally {
      await receiver.close();
    }
  });
});
