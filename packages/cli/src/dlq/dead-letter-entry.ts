import { deadLetterHeaders, type LoggedRecord } from "@rapport/kafka";
import type { DlqPosition } from "./dlq-position.js";

/** Where the rejected bytes came from: a topic a consumer read them from, or ingestion's HTTP/gRPC front door. */
export type DeadLetterOrigin =
  | { kind: "topic"; topic: string; partition: number; offset: string; consumerGroup?: string }
  | { kind: "frontDoor"; path: string };

/** A record of the dead-letter topic, read back: the rejection its headers describe, and the bytes. */
export type DeadLetterEntry = {
  position: DlqPosition;
  rejectedAt: Date;
  reason: string;
  detail: string;
  origin: DeadLetterOrigin;
  /** The id and type of the rejected event, when its bytes are a JSON object that has them. */
  event: { id?: string; type?: string };
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
};

/** A dead-letter record as a consumer reads it (its broker timestamp dates a record without the header). */
export type DeadLetterRecord = LoggedRecord;

export function deadLetterEntryOf(record: DeadLetterRecord): DeadLetterEntry {
  const { headers } = record;
  const value = record.value ?? Buffer.alloc(0);
  const stampedAt = headers[deadLetterHeaders.rejectedAt];
  return {
    position: { partition: record.partition, offset: record.offset },
    rejectedAt: new Date(stampedAt ?? Number(record.timestamp)),
    reason: headers[deadLetterHeaders.reason] ?? "unknown",
    detail: headers[deadLetterHeaders.detail] ?? "",
    origin: originOf(headers),
    event: eventOf(value),
    key: record.key === null ? null : record.key.toString("utf8"),
    value,
    headers,
  };
}

/** A front-door rejection names its path (http, grpc) where a consumer's names the topic and position. */
function originOf(headers: Record<string, string>): DeadLetterOrigin {
  const topic = headers[deadLetterHeaders.topic] ?? "unknown";
  const partition = headers[deadLetterHeaders.partition];
  if (partition === undefined) return { kind: "frontDoor", path: topic };
  const consumerGroup = headers[deadLetterHeaders.consumerGroup];
  return {
    kind: "topic",
    topic,
    partition: Number(partition),
    offset: headers[deadLetterHeaders.offset] ?? "",
    ...(consumerGroup === undefined ? {} : { consumerGroup }),
  };
}

/** The bytes as JSON, or undefined when they are not JSON (an access-log line, broken input). */
export function parsedJson(value: Buffer): { json: unknown } | undefined {
  try {
    return { json: JSON.parse(value.toString("utf8")) };
  } catch {
    return undefined;
  }
}

/** The id and type of the event in `value`, as far as it has them. */
export function eventOf(value: Buffer): DeadLetterEntry["event"] {
  const parsed = parsedJson(value)?.json;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
  const { id, type } = parsed as Record<string, unknown>;
  return {
    ...(typeof id === "string" ? { id } : {}),
    ...(typeof type === "string" ? { type } : {}),
  };
}

/** The origin in one word or two: `crm.raw.orders 2:17` or `front door (http)`. */
export function originText(origin: DeadLetterOrigin): string {
  return origin.kind === "frontDoor"
    ? `front door (${origin.path})`
    : `${origin.topic} ${origin.partition}:${origin.offset}`;
}
