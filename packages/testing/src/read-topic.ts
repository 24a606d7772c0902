import type { IHeaders, KafkaMessage } from "kafkajs";
import { type Brokers, testKafka } from "./kafka-topics.js";
import { uniqueName } from "./unique-name.js";

export interface TopicRecord {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  /** UTF-8 header values; a header repeated in one record is joined with ",". */
  headers: Record<string, string>;
  timestamp: string;
}

export interface ReadTopicOptions {
  /** Called with everything read so far after each record; reading stops when it returns true. */
  until: (records: readonly TopicRecord[]) => boolean;
  timeoutMs?: number;
}

/**
 * Reads a topic from the beginning, as a fresh consumer group that sees only committed
 * transactional records (read_committed), until `until` holds. Rejects on timeout with what it
 * did see, so a failing assertion shows the topic's actual content.
 */
export async function readTopic(
  brokers: Brokers,
  topic: string,
  { until, timeoutMs = 30_000 }: ReadTopicOptions,
): Promise<TopicRecord[]> {
  const consumer = testKafka(brokers, "rapport-test-reader").consumer({
    groupId: uniqueName("read-topic"),
    readUncommitted: false,
    // Short fetch waits make disconnect (which waits for the in-flight fetch) quick.
    maxWaitTimeInMs: 250,
  });
  const records: TopicRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise<TopicRecord[]>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(describeTimeout(topic, timeoutMs, records))),
        timeoutMs,
      );
      const settle = (outcome: () => void): void => {
        clearTimeout(timer);
        outcome();
      };
      consumer.on(consumer.events.CRASH, ({ payload }) => settle(() => reject(payload.error)));
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            records.push(toTopicRecord(partition, message));
            if (until(records)) settle(() => resolve([...records]));
          },
        })
        .catch((error: unknown) => settle(() => reject(error)));
    });
  } finally {
    await consumer.disconnect();
  }
}

function toTopicRecord(partition: number, message: KafkaMessage): TopicRecord {
  return {
    partition,
    offset: message.offset,
    key: message.key?.toString("utf8") ?? null,
    value: message.value?.toString("utf8") ?? null,
    headers: decodeHeaders(message.headers),
    timestamp: message.timestamp,
  };
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    decoded[name] = values.map((item) => item.toString()).join(",");
  }
  return decoded;
}

function describeTimeout(topic: string, timeoutMs: number, records: readonly TopicRecord[]): string {
  const shown = records.slice(0, 20).map((record) => {
    const value = record.value === null ? "null" : truncate(record.value, 200);
    return `  p${record.partition}@${record.offset} key=${record.key ?? "null"} value=${value}`;
  });
  const more = records.length > shown.length ? [`  … and ${records.length - shown.length} more`] : [];
  return [
    `readTopic("${topic}"): condition not met within ${timeoutMs} ms; read ${records.length} record(s)${records.length > 0 ? ":" : ""}`,
    ...shown,
    ...more,
  ].join("\n");
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
