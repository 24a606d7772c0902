import { describe, expect, it } from "vitest";
import { factOfEvent } from "../src/domain/fact-of-event.js";
import { foldProfileState } from "../src/domain/profile-state.js";
import { type LoggedFact, type ScoredCustomer, updateCustomer } from "../src/domain/scored-customer.js";
import { call, customerEvent, day, order, settings } from "./scoring-fixtures.js";

let offset = 0;
/** Events as records of one stream of the log, each at the next offset. */
const logged = (...events: Parameters<typeof factOfEvent>[0][]): LoggedFact[] =>
  events.map((event) => ({
    customerId: "cus_ann",
    fact: factOfEvent(event),
    position: { stream: "crm.events.resolved:0", offset: offset++ },
  }));
const facts = (...events: Parameters<typeof factOfEvent>[0][]) => ({
  kind: "facts" as const,
  facts: logged(...events),
});
const tick = (eventId: string) => ({ eventId, position: { stream: "crm.scoring:0", offset: offset++ } });

describe("updating a scored customer", () => {
  const firstFacts = logged(order(day(0), "O-1", 30_000));
  const first = updateCustomer(
    "cus_ann",
    undefined,
    { kind: "facts", facts: firstFacts },
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
        causedAt: { stream: "crm.events.resolved:0", offset: expect.any(Number) },
      },
    ]);
    expect(next.asOf).toBe(day(11));
  });

  it("returns the same customer for records it has taken in: a redelivery changes nothing", () => {
    const again = updateCustomer(
      "cus_ann",
      first,
      facts(...firstFacts.map(() => order(day(0), "O-1", 30_000))),
      undefined,
      settings,
    );
    expect(updateCustomer("cus_ann", first, { kind: "facts", facts: firstFacts }, undefined, settings)).toBe(
      first,
    );
    expect(again).not.toBe(first); // a new event id is a new fact, even for the same order
    expect(again.summary.revenueMinor).toBe(30_000); // ... but one order id counts once
  });

  it("moves the lifecycle on when the clock passes, caused by the tick", () => {
    const tickCause = tick("tick:1");
    const later = updateCustomer(
      "cus_ann",
      first,
      { kind: "rescore", asOf: Date.parse(day(200)), cause: tickCause },
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
        causedAt: tickCause.position,
      },
    ]);
    expect(
      updateCustomer(
        "cus_ann",
        later,
        { kind: "rescore", asOf: Date.parse(day(150)), cause: tick("tick:0") },
        undefined,
        settings,
      ),
    ).toBe(later);
  });

  it("absorbs a merged customer's history once, whatever happens after", () => {
    const bobsFacts = logged(
      customerEvent("crm.v1.CustomerRegistered", day(3), { registrationChannel: "web" }),
    );
    const bob: ScoredCustomer = updateCustomer(
      "cus_bob",
      undefined,
      { kind: "facts", facts: bobsFacts },
      undefined,
      settings,
    );
    const mergeCause = { eventId: "identity:1", position: { stream: "crm.identity:0", offset: 0 } };
    const merged = updateCustomer(
      "cus_ann",
      first,
      { kind: "absorb", merged: [bob], cause: mergeCause },
      undefined,
      settings,
    );

    expect(merged.mergedCustomerIds).toEqual(["cus_bob"]);
    expect(merged.state).toEqual(foldProfileState([...firstFacts, ...bobsFacts].map(({ fact }) => fact)));
    expect(
      updateCustomer(
        "cus_ann",
        merged,
        { kind: "absorb", merged: [bob], cause: mergeCause },
        undefined,
        settings,
      ),
    ).toBe(merged);
  });
});
