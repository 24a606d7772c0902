import { describe, expect, it } from "vitest";
import { deadLetterHeaders } from "../src/dead-letter.js";
import { deadLetterLabels, lagAfter } from "../src/kafka-metrics.js";

describe("lagAfter", () => {
  it("counts the records after the last handled offset up to the high watermark", () => {
    expect(lagAfter("10", "3")).toBe(6);
  });

  it("is 0 once the last offset before the high watermark is handled", () => {
    expect(lagAfter("10", "9")).toBe(0);
  });

  it("is never negative, and handles offsets beyond 2^53", () => {
    expect(lagAfter("10", "12")).toBe(0);
    expect(lagAfter("9007199254740999", "9007199254740990")).toBe(8);
  });
});

describe("deadLetterLabels", () => {
  const dlq = "crm.events.dlq";
  const deadLetter = (headers: Record<string, string>) => ({ topic: dlq, key: null, value: "x", headers });

  it("labels each dead-letter record by where it came from and its reason code", () => {
    const labels = deadLetterLabels(
      [
        { topic: "crm.events", key: "c-1", value: "{}" },
        deadLetter({
          [deadLetterHeaders.topic]: "crm.raw.orders",
          [deadLetterHeaders.reason]: "invalid_json",
        }),
        deadLetter({ [deadLetterHeaders.topic]: "http", [deadLetterHeaders.reason]: "unknown_type" }),
      ],
      dlq,
    );

    expect(labels).toEqual([
      { topic: "crm.raw.orders", reason: "invalid_json" },
      { topic: "http", reason: "unknown_type" },
    ]);
  });

  it("labels a reason that is not a short snake_case code as other, so no free text becomes a label", () => {
    const labels = deadLetterLabels(
      [
        deadLetter({
          [deadLetterHeaders.topic]: "crm.events",
          [deadLetterHeaders.reason]: "Unexpected token n",
        }),
        deadLetter({ [deadLetterHeaders.topic]: "crm.events", [deadLetterHeaders.reason]: "x".repeat(65) }),
        deadLetter({}),
      ],
      dlq,
    );

    expect(labels).toEqual([
      { topic: "crm.events", reason: "other" },
      { topic: "crm.events", reason: "other" },
      { topic: "unknown", reason: "other" },
    ]);
  });
});
