import type { Context } from "@opentelemetry/api";
import type { TopicMessages } from "kafkajs";

/** A record read from Kafka, with its headers decoded and the trace it belongs to. */
export type ConsumedMessage = {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** Broker timestamp, milliseconds since the epoch, as a string. */
  timestamp: string;
  /** The context of this message's processing span: inject it into the records it causes. */
  traceContext: Context;
};

/** A record to produce. */
export type OutgoingRecord = {
  topic: string;
  key: string | null;
  value: string | Buffer;
  headers?: Record<string, string>;
};

/** A message that can never be processed: it goes to the dead-letter topic with its reason. */
export type PoisonMessage = { message: ConsumedMessage; reason: string; detail: string };

/** Records grouped by topic, as kafkajs sendBatch takes them. */
export function topicMessagesOf(records: readonly OutgoingRecord[]): TopicMessages[] {
  const byTopic = new Map<string, Omit<OutgoingRecord, "topic">[]>();
  for (const { topic, ...message } of records) {
    const messages = byTopic.get(topic) ?? [];
    messages.push(message);
    byTopic.set(topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
