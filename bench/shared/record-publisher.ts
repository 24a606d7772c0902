import { waitFor } from "@rapport/testing";
import { Kafka, type Kafka as KafkaClient, logLevel, Partitioners } from "kafkajs";
import type { BenchEndpoints } from "./bench-infra.js";
import { type Log, throttled } from "./progress.js";

/** One record as an upstream system writes it: JSON value, keyed. */
export type UpstreamRecord = { topic: string; key: string; value: string };

export type PublishOptions = {
  endpoints: BenchEndpoints;
  /** Created first (6 partitions, as in production) unless they exist; may be empty. */
  createTopics: readonly string[];
  /** Records 0 … count-1 are published, in that order. */
  count: number;
  recordAt: (index: number) => UpstreamRecord;
  /** What the records are, for progress lines, e.g. "raw events". */
  what: string;
  log: Log;
};

const chunkSize = 1_000;
const partitions = 6;

/**
 * Publishes records the way an upstream system would: a plain kafkajs producer, idempotent (a
 * retried send must not write a record twice, or the run would count duplicates), acks from all
 * replicas, 1,000 records per request.
 */
export async function publishRecords(options: PublishOptions): Promise<void> {
  const { count, log } = options;
  const kafka = new Kafka({
    clientId: "rapport-bench-upstream",
    brokers: options.endpoints.kafkaBrokers,
    // A fresh topic's first produce may hit "not the leader" while metadata settles; kafkajs retries,
    // and a failure that outlasts the retries is thrown, so its log lines would only be noise.
    logLevel: logLevel.NOTHING,
  });
  if (options.createTopics.length > 0) await createTopicsWithLeaders(kafka, options.createTopics);
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const progress = throttled(log);
  try {
    for (let start = 0; start < count; start += chunkSize) {
      const byTopic = new Map<string, { key: string; value: string }[]>();
      for (let index = start; index < Math.min(count, start + chunkSize); index++) {
        const { topic, key, value } = options.recordAt(index);
        const messages = byTopic.get(topic) ?? [];
        messages.push({ key, value });
        byTopic.set(topic, messages);
      }
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
      const published = Math.min(count, start + chunkSize);
      progress(
        `  published ${published.toLocaleString("en")} / ${count.toLocaleString("en")} ${options.what}`,
      );
    }
    progress(`  published ${count.toLocaleString("en")} ${options.what}`, true);
  } finally {
    await producer.disconnect();
  }
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
      topics: names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
    });
    await waitFor(
      async () => {
        const { topics } = await admin.fetchTopicMetadata({ topics: [...names] });
        return topics.every(
          (topic) =>
            topic.partitions.length === partitions &&
            topic.partitions.every((partition) => partition.leader >= 0),
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
