import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CustomerFact } from "../src/domain/customer-facts.js";
import {
  type CustomerHistory,
  combineHistories,
  emptyHistory,
  recordFact,
} from "../src/domain/customer-history.js";
import { profileOf } from "../src/domain/customer-profile.js";
import { customerEvent, day, factsOf, order, settings } from "./scoring-fixtures.js";

const fold = (facts: readonly CustomerFact[]): CustomerHistory => facts.reduce(recordFact, emptyHistory());

/** A customer's events over a year: orders (some cancelled or refunded), calls, visits, surveys, consents. */
const customerFacts = fc
  .array(
    fc.record({
      kind: fc.constantFrom("order", "cancel", "refund", "call", "view", "survey", "consent", "response"),
      day: fc.integer({ min: 0, max: 365 }),
      hour: fc.integer({ min: 0, max: 23 }),
      n: fc.integer({ min: 1, max: 6 }),
    }),
    { maxLength: 40 },
  )
  .map((draws) =>
    factsOf(
      draws.map(({ kind, day: d, hour, n }, i) => {
        const time = day(d, hour);
        const id = `prop:${i}`;
        switch (kind) {
          case "order":
            return { ...order(time, `O-${n}`, n * 10_000), id };
          case "cancel":
            return customerEvent("crm.v1.OrderCancelled", time, { orderId: `O-${n}` }, id);
          case "refund":
            return customerEvent(
              "crm.v1.OrderRefunded",
              time,
              { orderId: `O-${n}`, amount: { amountMinor: 3_000, currency: "KRW" } },
              id,
            );
          case "call":
            return customerEvent(
              "crm.v1.CallLogged",
              time,
              {
                callId: `call-${i}`,
                direction: n % 2 ? "inbound" : "outbound",
                purpose: "complaint",
                complaintReference: `CMP-${n % 2}`,
                complaintStatus: n > 3 ? "resolved" : "open",
                outcome: "completed",
              },
              id,
            );
          case "view":
            return customerEvent("crm.v1.PageViewed", time, { url: `/tea/${n}` }, id);
          case "survey":
            return customerEvent(
              "crm.v1.SurveyAnswered",
              time,
              { surveyId: `s-${n}`, nps: n, csat: (n % 5) + 1 },
              id,
            );
          case "consent":
            return customerEvent(
              "crm.v1.ConsentChanged",
              time,
              { channel: "email", status: n % 2 ? "granted" : "revoked" },
              id,
            );
          default:
            return customerEvent(
              "crm.v1.OfferResponded",
              time,
              { offerId: `offer-${n}`, response: n % 2 ? "accepted" : "declined" },
              id,
            );
        }
      }),
    ),
  );

const asOf = Date.parse(day(400));
const profile = (history: CustomerHistory) =>
  profileOf({ customerId: "cus_1", mergedCustomerIds: [], history }, asOf, undefined, settings);

describe("a customer's history", () => {
  it("is the same whatever order its events arrive in, and with every event delivered twice", () => {
    fc.assert(
      fc.property(customerFacts, (facts) => {
        const shuffled = [...facts].reverse();
        const redelivered = [...facts, ...facts.slice(0, facts.length / 2)];
        expect(fold(shuffled)).toEqual(fold(facts));
        expect(fold(redelivered)).toEqual(fold(facts));
        expect(profile(fold(shuffled))).toEqual(profile(fold(facts)));
      }),
    );
  });

  it("gives any permutation the same profile", () => {
    fc.assert(
      fc.property(
        customerFacts.chain((facts) =>
          fc.tuple(fc.constant(facts), fc.shuffledSubarray(facts, { minLength: facts.length })),
        ),
        ([facts, permutation]) => {
          expect(profile(fold(permutation))).toEqual(profile(fold(facts)));
        },
      ),
    );
  });

  it("of a merged customer equals a fresh build from both histories (combine is a monoid)", () => {
    fc.assert(
      fc.property(customerFacts, customerFacts, (survivorFacts, mergedFacts) => {
        const merged = mergedFacts.map((fact) => ({ ...fact, eventId: `merged:${fact.eventId}` }));
        const combined = combineHistories(fold(survivorFacts), fold(merged));
        expect(combined).toEqual(fold([...survivorFacts, ...merged]));
        expect(combineHistories(fold(merged), fold(survivorFacts))).toEqual(combined);
        expect(combineHistories(combined, emptyHistory())).toEqual(combined);
        expect(profile(combined)).toEqual(profile(fold([...merged, ...survivorFacts])));
      }),
    );
  });
});
