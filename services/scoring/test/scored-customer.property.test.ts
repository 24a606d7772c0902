import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CustomerFact } from "../src/domain/customer-facts.js";
import { foldProfileState } from "../src/domain/profile-state.js";
import { type LoggedFact, type ScoredCustomer, updateCustomer } from "../src/domain/scored-customer.js";
import { customerFactsArbitrary } from "./customer-facts.arbitrary.js";
import { settings } from "./scoring-fixtures.js";

/** The facts as records of two streams (the customer's events and its offers), in log order per stream. */
function asRecords(facts: readonly CustomerFact[]): LoggedFact[] {
  const next = [0, 0];
  return facts.map((fact, i) => {
    const stream = i % 3 === 2 ? 1 : 0;
    next[stream] = (next[stream] as number) + 1 + (i % 2);
    return {
      customerId: stream === 1 && i % 2 ? "cus_old" : "cus_ann",
      fact,
      position: { stream: `topic-${stream}:0`, offset: next[stream] as number },
    };
  });
}

/** The records cut into consecutive parts at the given points. */
function partsOf(records: readonly LoggedFact[], cuts: readonly number[]): LoggedFact[][] {
  const points = [...new Set(cuts.map((cut) => cut % (records.length + 1)))].sort((a, b) => a - b);
  const parts: LoggedFact[][] = [];
  let start = 0;
  for (const point of [...points, records.length]) {
    if (point > start) parts.push(records.slice(start, point));
    start = Math.max(start, point);
  }
  return parts;
}

const apply = (customer: ScoredCustomer | undefined, facts: readonly LoggedFact[]) =>
  updateCustomer("cus_ann", customer, { kind: "facts", facts }, undefined, settings);

describe("a scored customer taking in records of the log", () => {
  it("takes each record in once: a part handled again, whole or with more records, changes nothing twice", () => {
    fc.assert(
      fc.property(
        customerFactsArbitrary().filter((facts) => facts.length > 0),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (facts, cuts, redeliveries) => {
          const records = asRecords(facts);
          const parts = partsOf(records, cuts);
          let once: ScoredCustomer | undefined;
          for (const part of parts) once = apply(once, part);

          let twice: ScoredCustomer | undefined;
          parts.forEach((part, index) => {
            twice = apply(twice, part);
            const handled = twice;
            // The same part again (a crash before its offsets were committed) is the same customer.
            expect(apply(twice, part)).toBe(handled);
            // Any earlier records delivered again with this part change nothing either.
            const again = redeliveries[index] ?? 0;
            const from =
              records.indexOf(part[0] as LoggedFact) - (again % (records.indexOf(part[0] as LoggedFact) + 1));
            expect(apply(twice, records.slice(from, records.indexOf(part.at(-1) as LoggedFact) + 1))).toBe(
              handled,
            );
          });

          expect(twice).toEqual(once);
          expect(once?.state).toEqual(foldProfileState(facts));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("takes in a record it missed after a later one of another customer id or stream", () => {
    const fact = (eventId: string): CustomerFact => ({
      eventId,
      time: "2026-01-01T00:00:00.000Z",
      source: "t",
      kind: "registration",
    });
    const first = apply(undefined, [
      { customerId: "cus_ann", fact: fact("a"), position: { stream: "s:0", offset: 5 } },
    ]);
    const other = apply(first, [
      { customerId: "cus_old", fact: fact("b"), position: { stream: "s:0", offset: 3 } },
    ]);
    const elsewhere = apply(other, [
      { customerId: "cus_ann", fact: fact("c"), position: { stream: "s:1", offset: 1 } },
    ]);
    expect(other).not.toBe(first);
    expect(elsewhere).not.toBe(other);
    expect(elsewhere.applied).toEqual([
      { customerId: "cus_ann", stream: "s:0", offset: 5 },
      { customerId: "cus_ann", stream: "s:1", offset: 1 },
      { customerId: "cus_old", stream: "s:0", offset: 3 },
    ]);
  });
});
