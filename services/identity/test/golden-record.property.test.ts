import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  combineGoldenRecords,
  emptyGoldenRecord,
  evolveGoldenRecord,
  type GoldenRecord,
  type SurvivorshipRules,
  type TraitObservation,
} from "../src/domain/golden-record.js";
import { at } from "./identity-fixtures.js";

// Few sources, ids, times and values, so that ties at every level of survivorship are common.
const sources = ["shop", "web", "calls", "crm"];
const text = (...values: string[]) => fc.option(fc.constantFrom(...values), { nil: undefined });

const observationArbitrary: fc.Arbitrary<TraitObservation> = fc.record({
  source: fc.constantFrom(...sources),
  eventId: fc.constantFrom("e1", "e2", "e3"),
  time: fc.constantFrom(at("10:00"), at("10:01"), at("10:02")),
  traits: fc.record(
    {
      firstName: text("Ji-woo", "Jiwoo", ""),
      lastName: text("Kim", "Park"),
      email: text("ann@example.com", "ann.kim@example.com"),
      phone: text("+821011112222", "+821033334444"),
      birthDate: text("1990-01-01", "1990-01-10"),
      postalAddress: fc.option(
        fc.record(
          { line1: text("1 Tea Street", "9 Harbour Road"), city: text("Seoul", "Busan") },
          { requiredKeys: [] },
        ),
        { nil: undefined },
      ),
      preferences: fc.option(
        fc.dictionary(
          fc.constantFrom("favourite_category", "preferred_contact_time"),
          fc.constantFrom("tea", "evening", ""),
        ),
        { nil: undefined },
      ),
    },
    { requiredKeys: [] },
  ),
});

const rulesArbitrary: fc.Arbitrary<SurvivorshipRules> = fc
  .shuffledSubarray(sources)
  .map((sourcePriority) => ({ sourcePriority }));

function fold(observations: TraitObservation[], rules: SurvivorshipRules): GoldenRecord {
  return observations.reduce(
    (record, observation) => evolveGoldenRecord(record, observation, rules),
    emptyGoldenRecord(),
  );
}

describe("the golden record is a monoid", () => {
  it("combines two folds into the fold of both histories: combine(fold(x), fold(y)) = fold(x ++ y)", () => {
    fc.assert(
      fc.property(
        fc.array(observationArbitrary),
        fc.array(observationArbitrary),
        rulesArbitrary,
        (x, y, rules) => {
          expect(combineGoldenRecords(fold(x, rules), fold(y, rules), rules)).toEqual(
            fold([...x, ...y], rules),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("does not depend on the order the observations arrive in", () => {
    fc.assert(
      fc.property(
        fc.array(observationArbitrary).chain((observations) =>
          fc.tuple(
            fc.constant(observations),
            fc.shuffledSubarray(observations, {
              minLength: observations.length,
              maxLength: observations.length,
            }),
          ),
        ),
        rulesArbitrary,
        ([observations, shuffled], rules) => {
          expect(fold(shuffled, rules)).toEqual(fold(observations, rules));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("has the empty record as identity, and combines associatively and commutatively", () => {
    const recordArbitrary = fc.array(observationArbitrary, { maxLength: 4 });
    fc.assert(
      fc.property(recordArbitrary, recordArbitrary, recordArbitrary, rulesArbitrary, (x, y, z, rules) => {
        const [a, b, c] = [fold(x, rules), fold(y, rules), fold(z, rules)];
        const combine = (left: GoldenRecord, right: GoldenRecord) => combineGoldenRecords(left, right, rules);

        expect(combine(a, emptyGoldenRecord())).toEqual(a);
        expect(combine(emptyGoldenRecord(), a)).toEqual(a);
        expect(combine(combine(a, b), c)).toEqual(combine(a, combine(b, c)));
        expect(combine(a, b)).toEqual(combine(b, a));
      }),
    );
  });
});
