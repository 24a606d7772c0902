import type { ConsumedMessage, OutgoingRecord } from "./records.js";

/** Header names on dead-letter records; redrive tools read them. */
export const deadLetterHeaders = {
  reason: "rapport-dlq-reason",
  detail: "rapport-dlq-detail",
  topic: "rapport-dlq-original-topic",
  partition: "rapport-dlq-original-partition",
  offset: "rapport-dlq-original-offset",
  consumerGroup: "rapport-dlq-consumer-group",
  rejectedAt: "rapport-dlq-rejected-at",
} as const;

export type Rejection = {
  reason: string;
  detail: string;
  /** Where the rejected bytes came from: a topic position, or the HTTP/gRPC front door. */
  origin: { topic: string; partition: number; offset: string } | { frontDoor: string };
  consumerGroup?: string;
  rejectedAt: Date;
};

/**
 * The dead-letter record of rejected input: the original bytes untouched (so a fixed event can be
 * re-submitted as it was), the original headers, and the reason in headers.
 */
export function deadLetterRecord(
  dlqTopic: string,
  original: { key: string | Buffer | null; value: string | Buffer | null; headers?: Record<string, string> },
  rejection: Rejection,
): OutgoingRecord {
  const where: Record<string, string> =
    "frontDoor" in rejection.origin
      ? { [deadLetterHeaders.topic]: rejection.origin.frontDoor }
      : {
          [deadLetterHeaders.topic]: rejection.origin.topic,
          [deadLetterHeaders.partition]: String(rejection.origin.partition),
          [deadLetterHeaders.offset]: rejection.origin.offset,
        };
  return {
    topic: dlqTopic,
    key: original.key === null ? null : original.key.toString(),
    value: original.value ?? "",
    headers: {
      ...original.headers,
      ...where,
      [deadLetterHeaders.reason]: rejection.reason,
      [deadLetterHeaders.detail]: rejection.detail,
      [deadLetterHeaders.rejectedAt]: rejection.rejectedAt.toISOString(),
      ...(rejection.consumerGroup ? { [deadLetterHeaders.consumerGroup]: rejection.consumerGroup } : {}),
    },
  };
}

/** The dead-letter record of a poison message consumed from a topic. */
export function poisonRecord(
  dlqTopic: string,
  message: ConsumedMessage,
  reason: string,
  detail: string,
  consumerGroup: string,
  rejectedAt: Date,
): OutgoingRecord {
  return deadLetterRecord(dlqTopic, message, {
    reason,
    detail,
    origin: { topic: message.topic, partition: message.partition, offset: message.offset },
    consumerGroup,
    rejectedAt,
  });
}
