import { type Admin, type Consumer, Kafka, logLevel } from "kafkajs";
import type { BenchEndpoints } from "../shared/bench-infra.js";

/** What a read_committed reader has seen of some topics, and whether it has read them to their end. */
export type TailReading = {
  /** Records per topic a downstream consumer can read (no commit markers, nothing aborted). */
  records: Record<string, number>;
  /** Whether every partition was read up to the high watermark the broker gave just before. */
  atEnd: boolean;
};

export type TopicTail = {
  /** The broker's high watermarks first, then how far the reader got: see `atEnd`. */
  read(): Promise<TailReading>;
  close(): Promise<void>;
};

/**
 * Counts the records a read_committed consumer sees on topics whose record count nobody knows in
 * advance (identity's events, customer changes, offer decisions, scoring facts), so that a service's
 * consumed counter can be compared with what there is to consume. Commits nothing (its group is its
 * own). Its position counts commit markers too (kafkajs gives a batch's last offset including them),
 * so a partition is read to its end exactly when the position reaches the high watermark.
 */
export async function startTopicTail(
  endpoints: BenchEndpoints,
  groupId: string,
  topics: readonly string[],
): Promise<TopicTail> {
  const kafka = new Kafka({
    clientId: "rapport-bench-tail",
    brokers: endpoints.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const admin: Admin = kafka.admin();
  await admin.connect();
  const consumer: Consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100 });
  const records: Record<string, number> = Object.fromEntries(topics.map((topic) => [topic, 0]));
  /** The next offset to read, by `topic:partition`. */
  const positions = new Map<string, number>();
  const advance = (topic: string, partition: number, lastOffset: string | null) => {
    if (lastOffset === null) return;
    const next = Number(lastOffset) + 1;
    const key = `${topic}:${partition}`;
    if (next > (positions.get(key) ?? 0)) positions.set(key, next);
  };
  // A fetch of nothing but commit markers or aborted records never reaches eachBatch.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
    advance(payload.topic, payload.partition, payload.lastOffset),
  );
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      records[batch.topic] = (records[batch.topic] ?? 0) + batch.messages.length;
      advance(batch.topic, batch.partition, batch.lastOffset());
    },
  });
  return {
    async read() {
      const ends = await Promise.all(
        topics.map(async (topic) => ({ topic, partitions: await admin.fetchTopicOffsets(topic) })),
      );
      const atEnd = ends.every(({ topic, partitions }) =>
        partitions.every(
          ({ partition, high }) =>
            Number(high) === 0 || (positions.get(`${topic}:${partition}`) ?? 0) >= Number(high),
        ),
      );
      return { records: { ...records }, atEnd };
    },
    close: async () => {
      await consumer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
    },
  };
}
