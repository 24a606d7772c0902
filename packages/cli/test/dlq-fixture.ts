import { deadLetterRecord, type Rejection } from "@rapport/kafka";
import { type DeadLetterEntry, deadLetterEntryOf } from "../src/dlq/dead-letter-entry.js";

export const rejectedAt = new Date("2026-03-01T09:30:00.000Z");

export const badOrder = JSON.stringify({
  specversion: "1.0",
  id: "order-1001",
  source: "shop",
  type: "crm.v1.OrderPlaced",
  time: "2026-03-01T09:00:00Z",
  data: { orderId: "1001", total: "a lot" },
});

/** A dead letter as ingestion and the consumer loop write it, read back at `position`. */
export function deadLetterAt(
  position: string,
  value: string | Buffer,
  rejection: Partial<Rejection> & Pick<Rejection, "origin">,
  headers: Record<string, string> = { "rapport-source": "shop" },
  key: string | null = null,
): DeadLetterEntry {
  const [partition, offset] = position.split(":") as [string, string];
  const record = deadLetterRecord(
    "crm.events.dlq",
    { key, value, headers },
    { reason: "schema_violation", detail: "data.total: must be an object", rejectedAt, ...rejection },
  );
  return deadLetterEntryOf({
    partition: Number(partition),
    offset,
    key: record.key === null ? null : Buffer.from(record.key),
    value: Buffer.from(record.value),
    headers: record.headers ?? {},
    timestamp: String(rejectedAt.getTime() + 5),
  });
}

export const frontDoor = (path: "http" | "grpc") => ({ origin: { frontDoor: path } });
export const rawTopic = (topic: string, consumerGroup = "rapport-ingestion") => ({
  origin: { topic, partition: 2, offset: "17" },
  consumerGroup,
});
