import type { CustomerEvent, Identifier } from "@rapport/events";
import { describe, expect, it } from "vitest";
import { partitionKeyOf } from "../src/domain/partition-key.js";

function eventNaming(identifiers: Identifier[]): CustomerEvent {
  return {
    specversion: "1.0",
    id: "shop:1",
    source: "shop",
    type: "crm.v1.PageViewed",
    time: "2026-03-01T00:00:00.000Z",
    datacontenttype: "application/json",
    data: { customer: { identifiers } },
  };
}

describe("partitionKeyOf", () => {
  it("keys an event by its most stable identifier, so one customer's events stay in order", () => {
    expect(
      partitionKeyOf(
        eventNaming([
          { type: "cookie_id", value: "c1" },
          { type: "email", value: "a@b.kr" },
          { type: "customer_number", value: "C1" },
        ]),
      ),
    ).toBe("customer_number:C1");
    expect(
      partitionKeyOf(
        eventNaming([
          { type: "cookie_id", value: "c1" },
          { type: "phone", value: "+8210" },
        ]),
      ),
    ).toBe("phone:+8210");
  });
});
