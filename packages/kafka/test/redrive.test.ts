import { describe, expect, it } from "vitest";
import { deadLetterRecord } from "../src/dead-letter.js";
import { deadLetterPositionText, redrivenFromHeader, redrivenRecord } from "../src/redrive.js";

describe("redrivenRecord", () => {
  it("re-submits a dead letter with its own headers, none of the rejection's, and where it came from", () => {
    const deadLetter = deadLetterRecord(
      "crm.events.dlq",
      {
        key: "k-1",
        value: '{"id":"order-1"}',
        headers: { "rapport-source": "shop", traceparent: "00-abc-def-01" },
      },
      {
        reason: "schema_violation",
        detail: "data.total: required",
        origin: { topic: "crm.raw.orders", partition: 2, offset: "17" },
        consumerGroup: "rapport-ingestion",
        rejectedAt: new Date("2026-03-01T09:30:00.000Z"),
      },
    );
    const from = deadLetterPositionText("crm.events.dlq", 0, "12");
    const fixed = '{"id":"order-1","data":{"total":1}}';

    expect(
      redrivenRecord("crm.raw.orders", { key: "k-1", value: fixed, headers: deadLetter.headers ?? {} }, from),
    ).toEqual({
      topic: "crm.raw.orders",
      key: "k-1",
      value: fixed,
      headers: {
        "rapport-source": "shop",
        traceparent: "00-abc-def-01",
        [redrivenFromHeader]: "crm.events.dlq/0:12",
      },
    });
  });
});
