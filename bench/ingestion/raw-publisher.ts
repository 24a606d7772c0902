import type { RawSource } from "@rapport/events";
import { crmTopics } from "@rapport/events";
import { waitFor } from "@rapport/testing";
import { Kafka, type Kafka as KafkaClient, logLevel, Partitioners } from "kafkajs";
import type { BenchEndpoints } from "./bench-infra.js";
import { type Log, throttled } from "./progress.js";
import type { RunNames } from "./run-names.js";
import type { Workload } from "./workload.js";

const chunkSize = 1_000;

/**
 * Publishes events 0 … count-1 of the workload to their raw topics (created first, 6 partitions as in
 * production), the way an upstream system would: a plain kafkajs producer, JSON values, acks from all
 * replicas. Returns the ids ingestion will give them.
 */
export async function publishRawEvents(
  endpoints: BenchEndpoints,
  names: RunNames,
  workload: Workload,
  count: number,
  log: Log,
): Promise<string[]> {
  const topics = crmTopics(names.prefix);
  const lanes: RawSource[] = ["orders", "calls", "weblogs", "surveys"];
  const kafka = new Kafka({
    clientId: "rapport-bench-upstream",
    brokers: endpoints.kafkaBrokers,
    // A fresh topic's first produce may hit "not the leader" while metadata settles; kafkajs retries,
    // and a failure that outlasts the retries is thrown, so its log lines would only be noise.
    logLevel: logLevel.NOTHING,
  });
  await createTopicsWithLeaders(
    kafka,
    lanes.map((lane) => topics.raw(lane)),
  );
  const producer = kafka.producer({
    // Idempotent: a retried send must not write a message twice (the run would count duplicates).
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const progress = throttled(log);
  const eventIds: string[] = [];
  try {
    for (let start = 0; start < count; start += chunkSize) {
      const byTopic = new Map<string, { key: string; value: string }[]>();
      for (let index = start; index < Math.min(count, start + chunkSize); index++) {
        const { lane, eventId, cloudEvent } = workload.event(index);
        eventIds.push(eventId);
        const topic = topics.raw(lane);
        const messages = byTopic.get(topic) ?? [];
        messages.push({ key: cloudEvent.id, value: JSON.stringify(cloudEvent) });
        byTopic.set(topic, messages);
      }
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
      progress(
        `  published ${eventIds.length.toLocaleString("en")} / ${count.toLocaleString("en")} raw events`,
      );
    }
    progress(`  published ${eventIds.length.toLocaleString("en")} raw events`, true);
  } finally {
    await producer.disconnect();
  }
  return eventIds;
}

/**
 * Creates topics and waits until every partition has a leader. kafkajs' own `waitForLeaders` gives up
 * when a just-created topic is still unknown to the broker's metadata ("does not host this
 * topic-partition"), so the wait is ours.
 */
async function createTopicsWithLeaders(kafka: KafkaClient, names: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: false,
      topics: names.map((topic) => ({ topic, numPartitions: 6, replicationFactor: 1 })),
    });
    await waitFor(
      async () => {
        const { topics } = await admin.fetchTopicMetadata({ topics: [...names] });
        return topics.every(
          (topic) =>
            topic.partitions.length === 6 && topic.partitions.every((partition) => partition.leader >= 0),
        );
      },
      {
        description: `leaders for the partitions of ${names.join(", ")}`,
        timeoutMs: 60_000,
        intervalMs: 100,
      },
    );
  } finally {
    await admin.disconnect();
  }
}
