import { ROOT_CONTEXT } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { deadLetterHeaders, deadLetterRecord, poisonRecord } from "../src/dead-letter.js";
import type { ConsumedMessage } from "../src/records.js";

const rejectedAt = new Date("2026-03-01T09:30:00.000Z");

function consumed(overrides: Partial<ConsumedMessage> = {}): ConsumedMessage {
  return {
    topic: "crm.raw.orders",
    partition: 3,
    offset: "41",
    key: Buffer.from("customer_number:C-1"),
    value: Buffer.from([0x7b, 0xff, 0xfe, 0x00]), // not UTF-8, not JSON: must survive untouched
    headers: { "ce-source": "shop", traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
    timestamp: "1772357400000",
    traceContext: ROOT_CONTEXT,
    ...overrides,
  };
}

describe("deadLetterRecord", () => {
  it("keeps the rejected bytes, key and headers of a consumed record and says where they came from", () => {
    const record = deadLetterRecord(
      "crm.events.dlq",
      { key: Buffer.from("k-1"), value: Buffer.from("{not json"), headers: { "ce-source": "shop" } },
      {
        reason: "invalid_json",
        detail: "Unexpected token n",
        origin: { topic: "crm.raw.orders", partition: 2, offset: "17" },
        consumerGroup: "ingestion",
        rejectedAt,
      },
    );

    expect(record).toEqual({
      topic: "crm.events.dlq",
      key: "k-1",
      value: Buffer.from("{not json"),
      headers: {
        "ce-source": "shop",
        "rapport-dlq-reason": "invalid_json",
        "rapport-dlq-detail": "Unexpected token n",
        "rapport-dlq-original-topic": "crm.raw.orders",
        "rapport-dlq-original-partition": "2",
        "rapport-dlq-original-offset": "17",
        "rapport-dlq-consumer-group": "ingestion",
        "rapport-dlq-rejected-at": "2026-03-01T09:30:00.000Z",
      },
    });
  });

  it("names the front door of input that never was on a topic, with no partition, offset or group", () => {
    const record = deadLetterRecord(
      "crm.events.dlq",
      { key: null, value: '{"type":"crm.v1.Nope"}' },
      { reason: "unknown_type", detail: "crm.v1.Nope", origin: { frontDoor: "http" }, rejectedAt },
    );

    expect(record).toEqual({
      topic: "crm.events.dlq",
      key: null,
      value: '{"type":"crm.v1.Nope"}',
      headers: {
        "rapport-dlq-original-topic": "http",
        "rapport-dlq-reason": "unknown_type",
        "rapport-dlq-detail": "crm.v1.Nope",
        "rapport-dlq-rejected-at": "2026-03-01T09:30:00.000Z",
      },
    });
  });

  it("writes a tombstone's missing value as an empty value", () => {
    const record = deadLetterRecord(
      "dlq",
      { key: "k", value: null },
      { reason: "empty", detail: "no value", origin: { frontDoor: "grpc" }, rejectedAt },
    );

    expect(record.value).toBe("");
  });

  it("replaces the dead-letter headers of a record that was dead-lettered before with this rejection's", () => {
    const redriven = {
      key: "k",
      value: "v",
      headers: {
        [deadLetterHeaders.reason]: "old_reason",
        [deadLetterHeaders.detail]: "old detail",
        [deadLetterHeaders.topic]: "crm.raw.old",
        [deadLetterHeaders.offset]: "1",
        [deadLetterHeaders.rejectedAt]: "2020-01-01T00:00:00.000Z",
      },
    };

    const record = deadLetterRecord("dlq", redriven, {
      reason: "new_reason",
      detail: "new detail",
      origin: { topic: "crm.raw.orders", partition: 0, offset: "99" },
      rejectedAt,
    });

    expect(record.headers).toMatchObject({
      [deadLetterHeaders.reason]: "new_reason",
      [deadLetterHeaders.detail]: "new detail",
      [deadLetterHeaders.topic]: "crm.raw.orders",
      [deadLetterHeaders.offset]: "99",
      [deadLetterHeaders.rejectedAt]: "2026-03-01T09:30:00.000Z",
    });
  });
});

describe("poisonRecord", () => {
  it("dead-letters a consumed message with its position, the consumer group and its original headers", () => {
    const message = consumed();

    const record = poisonRecord(
      "crm.events.dlq",
      message,
      "unparseable",
      "bad bytes",
      "identity",
      rejectedAt,
    );

    expect(record.topic).toBe("crm.events.dlq");
    expect(record.key).toBe("customer_number:C-1");
    expect(Buffer.isBuffer(record.value)).toBe(true);
    expect(Buffer.compare(record.value as Buffer, Buffer.from([0x7b, 0xff, 0xfe, 0x00]))).toBe(0);
    expect(record.headers).toEqual({
      "ce-source": "shop",
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      "rapport-dlq-reason": "unparseable",
      "rapport-dlq-detail": "bad bytes",
      "rapport-dlq-original-topic": "crm.raw.orders",
      "rapport-dlq-original-partition": "3",
      "rapport-dlq-original-offset": "41",
      "rapport-dlq-consumer-group": "identity",
      "rapport-dlq-rejected-at": "2026-03-01T09:30:00.000Z",
    });
  });

  it("keeps a keyless message keyless", () => {
    const record = poisonRecord("dlq", consumed({ key: null }), "r", "d", "g", rejectedAt);

    expect(record.key).toBeNull();
  });
});
