import { describe, expect, it } from "vitest";
import { topicMessagesOf } from "../src/records.js";

describe("topicMessagesOf", () => {
  it("groups records by topic, in the order each topic first appears, keeping each topic's record order", () => {
    const grouped = topicMessagesOf([
      { topic: "crm.events", key: "c-1", value: "e1" },
      {
        topic: "crm.events.dlq",
        key: null,
        value: Buffer.from("bad"),
        headers: { "rapport-dlq-reason": "x" },
      },
      { topic: "crm.events", key: "c-2", value: "e2", headers: { traceparent: "tp" } },
      { topic: "crm.events", key: "c-1", value: "e3" },
    ]);

    expect(grouped).toEqual([
      {
        topic: "crm.events",
        messages: [
          { key: "c-1", value: "e1" },
          { key: "c-2", value: "e2", headers: { traceparent: "tp" } },
          { key: "c-1", value: "e3" },
        ],
      },
      {
        topic: "crm.events.dlq",
        messages: [{ key: null, value: Buffer.from("bad"), headers: { "rapport-dlq-reason": "x" } }],
      },
    ]);
  });

  it("gives nothing to send for no records", () => {
    expect(topicMessagesOf([])).toEqual([]);
  });
});
