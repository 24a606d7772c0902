import { describe, expect, it } from "vitest";
import { factOfEvent } from "../src/domain/fact-of-event.js";
import { type ScoredCustomer, updateCustomer } from "../src/domain/scored-customer.js";
import { call, customerEvent, day, order, settings } from "./scoring-fixtures.js";

const facts = (...events: Parameters<typeof factOfEvent>[0][]) => ({
  kind: "facts" as const,
  facts: events.map(factOfEvent),
});

describe("updating a scored customer", () => {
  const first = updateCustomer(
    "cus_ann",
    undefined,
    facts(order(day(0), "O-1", 30_000)),
    undefined,
    settings,
  );

  it("scores a new customer and announces every attribute it starts with", () => {
    expect(first.summary).toMatchObject({
      tier: "purchasing",
      lifecycleStage: "new_stage_1",
      revenueMinor: 30_000,
    });
    expect(first.asOf).toBe(day(0));
    expect(
      first.changes.map(({ attribute, previousValue, value }) => [attribute, previousValue, value]),
    ).toEqual([
      ["tier", "", "purchasing"],
      ["lifecycle_stage", "", "new_stage_1"],
    ]);
  });

  it("announces only what changed, caused by the event that changed it", () => {
    const second = order(day(10), "O-2", 20_000);
    const next = updateCustomer(
      "cus_ann",
      first,
      facts(second, call(day(11), { direction: "inbound", purpose: "inquiry" })),
      undefined,
      settings,
    );

    expect(next.changes.slice(first.changes.length)).toEqual([
      {
        attribute: "lifecycle_stage",
        previousValue: "new_stage_1",
        value: "new_stage_2",
        asOf: day(11),
        causeEventId: expect.any(String),
      },
    ]);
    expect(next.asOf).toBe(day(11));
  });

  it("returns the same customer for facts it already has: a redelivery changes nothing", () => {
    const again = updateCustomer(
      "cus_ann",
      first,
      facts(...first.history.facts.map(() => order(day(0), "O-1", 30_000))),
      undefined,
      settings,
    );
    expect(
      updateCustomer("cus_ann", first, { kind: "facts", facts: first.history.facts }, undefined, settings),
    ).toBe(first);
    expect(again).not.toBe(first); // a new event id is a new fact, even for the same order
    expect(again.summary.revenueMinor).toBe(30_000); // ... but one order id counts once
  });

  it("moves the lifecycle on when the clock passes, caused by the tick", () => {
    const later = updateCustomer(
      "cus_ann",
      first,
      { kind: "rescore", asOf: Date.parse(day(200)), causeEventId: "tick:1" },
      undefined,
      settings,
    );

    expect(later.summary.lifecycleStage).toBe("lapsed");
    expect(later.changes.slice(first.changes.length)).toEqual([
      {
        attribute: "lifecycle_stage",
        previousValue: "new_stage_1",
        value: "lapsed",
        asOf: day(200),
        causeEventId: "tick:1",
      },
    ]);
    expect(
      updateCustomer(
        "cus_ann",
        later,
        { kind: "rescore", asOf: Date.parse(day(150)), causeEventId: "tick:0" },
        undefined,
        settings,
      ),
    ).toBe(later);
  });

  it("absorbs a merged customer's history once, whatever happens after", () => {
    const bob: ScoredCustomer = updateCustomer(
      "cus_bob",
      undefined,
      facts(customerEvent("crm.v1.CustomerRegistered", day(3), { registrationChannel: "web" })),
      undefined,
      settings,
    );
    const merged = updateCustomer(
      "cus_ann",
      first,
      { kind: "absorb", merged: [bob], causeEventId: "identity:1" },
      undefined,
      settings,
    );

    expect(merged.mergedCustomerIds).toEqual(["cus_bob"]);
    expect(merged.history.facts).toHaveLength(2);
    expect(
      updateCustomer(
        "cus_ann",
        merged,
        { kind: "absorb", merged: [bob], causeEventId: "identity:1" },
        undefined,
        settings,
      ),
    ).toBe(merged);
  });
});
