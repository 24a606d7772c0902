import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CustomerFact } from "../src/domain/customer-facts.js";
import { emptyHistory, recordFact } from "../src/domain/customer-history.js";
import { profileFrom, profileOf } from "../src/domain/customer-profile.js";
import {
  combineProfileStates,
  emptyProfileState,
  foldProfileState,
  type ProfileState,
} from "../src/domain/profile-state.js";
import { customerFactsArbitrary } from "./customer-facts.arbitrary.js";
import { populationModel } from "./population-model.fixture.js";
import { day, settings } from "./scoring-fixtures.js";

const historyOf = (facts: readonly CustomerFact[]) => facts.reduce(recordFact, emptyHistory());
const subject = { customerId: "cus_1", mergedCustomerIds: ["cus_2"] };

/** At the latest fact, or up to a year after it. */
const asOfAfter = (facts: readonly CustomerFact[], extraDays: number) =>
  Math.max(Date.parse(day(0)), ...facts.map((fact) => Date.parse(fact.time))) + extraDays * 86_400_000;

const facts = customerFactsArbitrary();
const later = fc.constantFrom(0, 0.01, 3, 45, 120, 400);
const model = fc.constantFrom(undefined, populationModel);
// USD orders before day 1 cannot be valued; later ones are converted at the rate of their day.
const withDailyUsdRates = {
  ...settings,
  orders: {
    ...settings.orders,
    rates: new Map([
      [
        "USD",
        {
          kind: "daily" as const,
          days: [
            { day: day(1).slice(0, 10), from: Date.parse(day(1)), rate: 1350.5 },
            { day: day(200).slice(0, 10), from: Date.parse(day(200)), rate: 1412.25 },
          ],
        },
      ],
    ]),
  },
};
const scoringSettings = fc.constantFrom(settings, withDailyUsdRates);

describe("a customer's profile state", () => {
  it("gives the profile the history gives, at the latest fact or any time after it", () => {
    fc.assert(
      fc.property(facts, later, model, scoringSettings, (customerFacts, extraDays, inForce, given) => {
        const asOf = asOfAfter(customerFacts, extraDays);
        expect(
          profileFrom({ ...subject, state: foldProfileState(customerFacts) }, asOf, inForce, given),
        ).toEqual(profileOf({ ...subject, history: historyOf(customerFacts) }, asOf, inForce, given));
      }),
      { numRuns: 300 },
    );
  });

  it("is the same whatever order the facts arrive in", () => {
    fc.assert(
      fc.property(
        facts.chain((customerFacts) =>
          fc.tuple(
            fc.constant(customerFacts),
            fc.shuffledSubarray(customerFacts, { minLength: customerFacts.length }),
          ),
        ),
        ([customerFacts, permutation]) => {
          expect(foldProfileState(permutation)).toEqual(foldProfileState(customerFacts));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("of a merged customer is what folding both histories gives (combine is a monoid)", () => {
    const merged = customerFactsArbitrary({ idPrefix: "merged" });
    fc.assert(
      fc.property(facts, merged, merged, (x, y, z) => {
        const [a, b, c] = [x, y, z].map((part) => foldProfileState(part)) as [
          ProfileState,
          ProfileState,
          ProfileState,
        ];
        expect(combineProfileStates(a, b)).toEqual(foldProfileState([...x, ...y]));
        expect(combineProfileStates(b, a)).toEqual(combineProfileStates(a, b));
        expect(combineProfileStates(combineProfileStates(a, b), c)).toEqual(
          combineProfileStates(a, combineProfileStates(b, c)),
        );
        expect(combineProfileStates(a, emptyProfileState())).toEqual(a);
        expect(combineProfileStates(emptyProfileState(), a)).toEqual(a);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses an instant before its latest fact: the past is answered from the history", () => {
    const state = foldProfileState([{ eventId: "e1", time: day(5), source: "t", kind: "registration" }]);
    expect(() => profileFrom({ ...subject, state }, Date.parse(day(4)), undefined, settings)).toThrow(
      RangeError,
    );
  });
});
