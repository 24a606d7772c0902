import { describe, expect, it } from "vitest";
import { ndjsonRecordOf } from "../src/index.js";
import { eventsOf, mapFile, rejectionsOf } from "./import-fixture.js";

const cloudEvent = {
  specversion: "1.0",
  id: "upstream-42",
  type: "crm.v1.OrderPlaced",
  time: "2024-03-01T09:30:00+09:00",
  data: {
    customer: { identifiers: [{ type: "email", value: "a@example.com" }] },
    orderId: "U-42",
    total: { currency: "KRW" },
  },
};

describe("NDJSON lines", () => {
  it("passes a CloudEvent through exactly as written", () => {
    const record = ndjsonRecordOf(JSON.stringify(cloudEvent), 1);
    expect(record).toEqual({ kind: "cloud_event", row: 1, event: cloudEvent });
    const outputs = mapFile("orders", { kind: "sample", names: [] }, record ? [record] : []);
    expect(eventsOf(outputs)).toEqual([cloudEvent]);
  });

  it("maps a flat record like a CSV row, numbers included", () => {
    const line = JSON.stringify({
      order_id: 7,
      email: "a@example.com",
      time: "2024-03-01",
      amount: 19.9,
      currency: "EUR",
      note: null,
    });
    const record = ndjsonRecordOf(line, 3);
    expect(record).toEqual({
      kind: "cells",
      row: 3,
      cells: { order_id: "7", email: "a@example.com", time: "2024-03-01", amount: "19.9", currency: "EUR" },
    });
    const header = record?.kind === "cells" ? Object.keys(record.cells) : [];
    const events = eventsOf(mapFile("orders", { kind: "sample", names: header }, record ? [record] : []));
    expect(events[0]).toMatchObject({
      id: "order-7",
      data: { total: { amountMinor: 1990, currency: "EUR" } },
    });
  });

  it("skips blank lines and rejects lines that are not flat JSON objects, with their line number", () => {
    expect(ndjsonRecordOf("   ", 4)).toBeUndefined();
    const records = [
      ndjsonRecordOf("{not json", 5),
      ndjsonRecordOf("[1,2]", 6),
      ndjsonRecordOf('{"order_id":"A","items":[1]}', 7),
    ].flatMap((record) => (record ? [record] : []));
    expect(rejectionsOf(mapFile("orders", { kind: "sample", names: [] }, records))).toEqual([
      { row: 5, reason: "unparseable", detail: expect.stringMatching(/^not JSON: /) },
      { row: 6, reason: "unparseable", detail: "a line must be a JSON object" },
      {
        row: 7,
        reason: "unparseable",
        detail: '"items" holds an array; a flat record holds strings, numbers and booleans',
      },
    ]);
  });
});
