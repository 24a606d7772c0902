import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ContactFact } from "../src/domain/contact-facts.js";
import {
  type ContactChange,
  type ContactHistory,
  decideContactChanges,
  survivorOf,
} from "../src/domain/contact-history.js";

const consent = (eventId: string, time = "2026-05-01T00:00:00.000Z"): ContactFact => ({
  eventId,
  time,
  kind: "consent",
  channel: "email",
  granted: true,
});
const order = (eventId: string, amountMinor = 10_000): ContactFact => ({
  eventId,
  time: "2026-05-02T00:00:00.000Z",
  kind: "order",
  amountMinor,
  contactPoints: { emails: [], phones: [] },
});

const historiesOf = (...histories: ContactHistory[]) =>
  new Map(histories.map((history) => [history.customerId, history]));
const facts = (customerId: string, ...listed: ContactFact[]): ContactChange => ({
  kind: "facts",
  customerId,
  facts: listed,
});
const merge = (survivor: string, ...merged: string[]): ContactChange => ({ kind: "merge", survivor, merged });
const eventIds = (history: ContactHistory | undefined) =>
  (history?.facts ?? []).map((fact) => fact.eventId).sort();

describe("contact histories as a part changes them", () => {
  it("add each event's fact once: a fact the history holds, or one the part repeats, adds nothing", () => {
    const given = historiesOf({ customerId: "ann", facts: [consent("e1")] });

    const { histories, additions } = decideContactChanges(given, [
      facts("ann", consent("e1"), order("e2"), order("e2")),
      facts("ben", order("e3")),
    ]);

    expect(eventIds(histories.get("ann"))).toEqual(["e1", "e2"]);
    expect(additions.get("ann")?.facts.map((fact) => fact.eventId)).toEqual(["e2"]);
    expect(additions.get("ben")?.facts.map((fact) => fact.eventId)).toEqual(["e3"]);
    expect(given.get("ann")?.facts).toHaveLength(1);
  });

  it("add nothing at all when the part was handled before", () => {
    const part = [facts("ann", order("e1")), merge("ann", "bob")];
    const first = decideContactChanges(historiesOf({ customerId: "bob", facts: [consent("e0")] }), part);

    const again = decideContactChanges(first.histories, part);

    expect(again.additions.size).toBe(0);
  });

  it("move a merged customer's facts to the survivor and close the merged history", () => {
    const given = historiesOf(
      { customerId: "ann", facts: [order("e1")] },
      { customerId: "bob", facts: [consent("e2"), order("e3")] },
    );

    const { histories, additions } = decideContactChanges(given, [merge("ann", "bob")]);

    expect(eventIds(histories.get("ann"))).toEqual(["e1", "e2", "e3"]);
    expect(histories.get("bob")?.mergedInto).toBe("ann");
    expect(additions.get("ann")).toEqual({ facts: [consent("e2"), order("e3")] });
    expect(additions.get("bob")).toEqual({ facts: [], mergedInto: "ann" });
  });

  it("give facts that arrive for a merged customer to its survivor, through every later merge", () => {
    const given = historiesOf(
      { customerId: "cat", facts: [], mergedInto: "bob" },
      { customerId: "bob", facts: [], mergedInto: "ann" },
      { customerId: "ann", facts: [] },
    );

    const { histories, additions } = decideContactChanges(given, [facts("cat", order("late"))]);

    expect(survivorOf(histories, "cat")).toBe("ann");
    expect(eventIds(histories.get("ann"))).toEqual(["late"]);
    expect([...additions.keys()]).toEqual(["ann"]);
  });

  it("leave a customer merged already as it is, and refuse to merge a survivor into its own alias", () => {
    const given = historiesOf(
      { customerId: "ann", facts: [] },
      { customerId: "bob", facts: [order("e1")], mergedInto: "ann" },
    );

    expect(decideContactChanges(given, [merge("ann", "bob")]).additions.size).toBe(0);
    expect(decideContactChanges(given, [merge("bob", "ann")]).additions.size).toBe(0);
  });

  it("merge chains within one part: what was merged into a customer moves on with it", () => {
    const given = historiesOf(
      { customerId: "ann", facts: [order("a")] },
      { customerId: "bob", facts: [order("b")] },
      { customerId: "cat", facts: [order("c")] },
    );

    const { histories } = decideContactChanges(given, [merge("bob", "cat"), merge("ann", "bob")]);

    expect(eventIds(histories.get("ann"))).toEqual(["a", "b", "c"]);
    expect(survivorOf(histories, "cat")).toBe("ann");
  });
});

describe("laws of contact histories", () => {
  const eventId = fc.constantFrom("e1", "e2", "e3", "e4", "e5", "e6");
  const customer = fc.constantFrom("ann", "bob", "cat");
  const factChange = fc
    .tuple(customer, fc.array(eventId, { minLength: 1, maxLength: 3 }))
    .map(([customerId, ids]) => facts(customerId, ...ids.map((id) => order(`${customerId}:${id}`))));

  /** The facts of the customers still open, as a set per customer. */
  const openFacts = (histories: ReadonlyMap<string, ContactHistory>) =>
    Object.fromEntries(
      [...histories]
        .filter(([, history]) => history.mergedInto === undefined && history.facts.length > 0)
        .map(([customerId, history]) => [customerId, eventIds(history)])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );

  it("a merge leaves the survivor with what a fresh build from both customers' events gives", () => {
    fc.assert(
      fc.property(fc.array(factChange, { maxLength: 8 }), (changes) => {
        const mergedLater = decideContactChanges(new Map(), [...changes, merge("ann", "bob")]);
        const asOne = decideContactChanges(
          new Map(),
          changes.map((change) =>
            change.kind === "facts" && change.customerId === "bob"
              ? { ...change, customerId: "ann" }
              : change,
          ),
        );
        expect(eventIds(mergedLater.histories.get("ann"))).toEqual(eventIds(asOne.histories.get("ann")));
      }),
    );
  });

  it("facts and merges in any order give the same histories", () => {
    fc.assert(
      fc.property(fc.array(factChange, { maxLength: 8 }), fc.integer({ min: 0, max: 8 }), (changes, at) => {
        const mergeFirst = decideContactChanges(new Map(), [merge("ann", "bob"), ...changes]);
        const position = Math.min(at, changes.length);
        const mergeBetween = decideContactChanges(new Map(), [
          ...changes.slice(0, position),
          merge("ann", "bob"),
          ...changes.slice(position),
        ]);
        expect(openFacts(mergeBetween.histories)).toEqual(openFacts(mergeFirst.histories));
      }),
    );
  });

  it("what was appended, appended to what was given, is what was decided", () => {
    fc.assert(
      fc.property(
        fc.array(factChange, { maxLength: 6 }),
        fc.array(factChange, { maxLength: 6 }),
        (before, part) => {
          const given = decideContactChanges(new Map(), [...before, merge("ann", "cat")]).histories;
          const { histories, additions } = decideContactChanges(given, part);
          for (const [customerId, addition] of additions)
            expect(
              [...eventIds(given.get(customerId)), ...addition.facts.map((fact) => fact.eventId)].sort(),
            ).toEqual(eventIds(histories.get(customerId)));
          expect(decideContactChanges(histories, part).additions.size).toBe(0);
        },
      ),
    );
  });
});
