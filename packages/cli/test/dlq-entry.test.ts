import { describe, expect, it } from "vitest";
import { deadLetterEntryOf } from "../src/dlq/dead-letter-entry.js";
import { matchesDlqFilter } from "../src/dlq/dlq-filter.js";
import { compareDlqPositions, parseDlqPosition } from "../src/dlq/dlq-position.js";
import { dlqListText, dlqShowJson, dlqShowText } from "../src/dlq/dlq-text.js";
import { missingPositions, rangesOfPositions } from "../src/dlq/offset-ranges.js";
import { badOrder, deadLetterAt, frontDoor, rawTopic, rejectedAt } from "./dlq-fixture.js";

describe("dead-letter positions", () => {
  it("reads partition:offset as dlq list prints it, and nothing else", () => {
    expect(parseDlqPosition("3:1207")).toEqual({ partition: 3, offset: "1207" });
    expect(parseDlqPosition(" 0:007 ")).toEqual({ partition: 0, offset: "7" });
    for (const text of ["3", "3:", ":4", "a:1", "1:2:3", "-1:4", "1.5:2"])
      expect(parseDlqPosition(text)).toBeUndefined();
  });

  it("orders by partition, then by offset as a number", () => {
    const positions = ["1:2", "0:10", "0:9", "1:0"].map(
      (text) => parseDlqPosition(text) ?? { partition: -1, offset: "0" },
    );
    expect(
      positions.sort(compareDlqPositions).map(({ partition, offset }) => `${partition}:${offset}`),
    ).toEqual(["0:9", "0:10", "1:0", "1:2"]);
  });

  it("finds each position's partition range and says why a position is outside the topic", () => {
    const extents = [
      { partition: 0, low: 0n, high: 50n },
      { partition: 1, low: 0n, high: 0n },
    ];
    const asked = ["0:42", "0:7", "1:0", "0:50", "2:1"].map(
      (text) => parseDlqPosition(text) ?? { partition: -1, offset: "0" },
    );
    const { ranges, outside } = rangesOfPositions(asked, extents);
    expect(ranges).toEqual([{ partition: 0, from: 7n, to: 43n }]);
    expect(outside.map(({ why }) => why)).toEqual([
      "partition 1 is empty",
      "partition 0 holds offsets 0 to 49",
      "the topic has no partition 2 (it has 2)",
    ]);
    expect(missingPositions(asked.slice(0, 2), [{ partition: 0, offset: "42" }])).toEqual(["0:7"]);
  });
});

describe("a dead letter read back", () => {
  it("tells a consumer's rejection (topic, position, group) from the front door's", () => {
    const fromTopic = deadLetterAt("0:4", badOrder, rawTopic("crm.raw.orders"));
    expect(fromTopic).toMatchObject({
      position: { partition: 0, offset: "4" },
      rejectedAt,
      reason: "schema_violation",
      detail: "data.total: must be an object",
      origin: {
        kind: "topic",
        topic: "crm.raw.orders",
        partition: 2,
        offset: "17",
        consumerGroup: "rapport-ingestion",
      },
      event: { id: "order-1001", type: "crm.v1.OrderPlaced" },
    });
    expect(deadLetterAt("1:0", "GET / HTTP/1.1", frontDoor("http"))).toMatchObject({
      origin: { kind: "frontDoor", path: "http" },
      event: {},
    });
  });

  it("takes the broker's time when a record has no rejection time, and says so when it has no reason", () => {
    const entry = deadLetterEntryOf({
      partition: 0,
      offset: "1",
      key: null,
      value: null,
      headers: {},
      timestamp: String(rejectedAt.getTime()),
    });
    expect(entry).toMatchObject({ rejectedAt, reason: "unknown", detail: "", value: Buffer.alloc(0) });
  });

  it("is filtered by reason, original topic or front door, and rejection time", () => {
    const entry = deadLetterAt("0:4", badOrder, frontDoor("grpc"));
    expect(matchesDlqFilter(entry, {})).toBe(true);
    expect(matchesDlqFilter(entry, { reason: "schema_violation", topic: "grpc" })).toBe(true);
    expect(matchesDlqFilter(entry, { topic: "front-door", since: rejectedAt })).toBe(true);
    expect(matchesDlqFilter(entry, { reason: "unparseable" })).toBe(false);
    expect(matchesDlqFilter(entry, { topic: "crm.raw.orders" })).toBe(false);
    expect(matchesDlqFilter(entry, { since: new Date(rejectedAt.getTime() + 1) })).toBe(false);
    expect(
      matchesDlqFilter(deadLetterAt("0:5", badOrder, rawTopic("crm.raw.orders")), {
        topic: "crm.raw.orders",
      }),
    ).toBe(true);
  });
});

describe("dlq list and show text", () => {
  it("lists one aligned row per dead letter with the detail shortened", () => {
    const long = deadLetterAt("0:12", badOrder, {
      ...rawTopic("crm.raw.orders"),
      detail: `data: ${"x".repeat(100)}`,
    });
    const text = dlqListText([deadLetterAt("0:4", badOrder, frontDoor("http")), long], 40);
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^POSITION +REJECTED AT +FROM +REASON +DETAIL +EVENT$/);
    expect(lines[1]).toMatch(
      /^0:4 +2026-03-01T09:30:00.000Z +front door \(http\) +schema_violation +data.total: must be an object +crm.v1.OrderPlaced order-1001$/,
    );
    expect(lines[2]).toContain("crm.raw.orders 2:17");
    expect(lines[2]).toContain(`data: ${"x".repeat(53)}…`);
    expect(lines[1]?.indexOf("schema_violation")).toBe(lines[0]?.indexOf("REASON"));
    expect(lines.at(-2)).toBe("2 of 40 dead letters");
  });

  it("shows the whole record: the rejection, the record's own headers and the value pretty-printed", () => {
    const entry = deadLetterAt(
      "0:4",
      badOrder,
      rawTopic("crm.raw.orders"),
      { "rapport-source": "shop" },
      "k-1",
    );
    const text = dlqShowText(entry);
    expect(text).toContain(
      "from          crm.raw.orders 2:17\nby            consumer group rapport-ingestion\n",
    );
    expect(text).toContain("headers\n  rapport-source: shop\nvalue (");
    expect(text).not.toContain("rapport-dlq-reason");
    expect(text).toContain('  "data": {\n    "orderId": "1001",');
    expect(dlqShowJson(entry)).toMatchObject({
      position: "0:4",
      key: "k-1",
      headers: { "rapport-source": "shop", "rapport-dlq-reason": "schema_violation" },
      value: JSON.parse(badOrder),
    });
    expect(dlqShowJson(deadLetterAt("0:5", "{broken", frontDoor("http"))).value).toBe("{broken");
  });
});
