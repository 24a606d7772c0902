import { describe, expect, it } from "vitest";
import { evolveOffer, type OfferDefinition, offerProblems } from "../src/domain/catalog.js";

const definition = (overrides: Partial<OfferDefinition> = {}): OfferDefinition => ({
  offerId: "tea-club",
  name: "Tea club invitation",
  description: "",
  kind: "event_invitation",
  strategy: "cross_sell",
  channels: ["email"],
  eligibility: [],
  costMinor: 500,
  valueMinor: 5_000,
  perCustomerCap: 0,
  priorResponseRate: 0.05,
  ...overrides,
});

describe("the catalog's fold", () => {
  it("makes every event the next revision and keeps the time it was recorded", () => {
    const first = evolveOffer(undefined, {
      type: "crm.v1.OfferUpserted",
      time: "2026-01-01T00:00:00.000Z",
      offer: definition(),
    });
    const second = evolveOffer(first, {
      type: "crm.v1.OfferUpserted",
      time: "2026-02-01T00:00:00.000Z",
      offer: definition({ name: "Tea club" }),
    });
    expect(first).toMatchObject({ revision: 1, updatedAt: "2026-01-01T00:00:00.000Z" });
    expect(second).toMatchObject({ revision: 2, name: "Tea club", updatedAt: "2026-02-01T00:00:00.000Z" });
  });

  it("retires an offer once, and a later definition does not bring it back", () => {
    const offer = evolveOffer(undefined, {
      type: "crm.v1.OfferUpserted",
      time: "2026-01-01T00:00:00.000Z",
      offer: definition(),
    });
    const retired = evolveOffer(offer, {
      type: "crm.v1.OfferRetired",
      time: "2026-03-01T00:00:00.000Z",
      offerId: "tea-club",
      reason: "season over",
    });
    const redefined = evolveOffer(retired, {
      type: "crm.v1.OfferUpserted",
      time: "2026-04-01T00:00:00.000Z",
      offer: definition(),
    });
    expect(retired?.retiredAt).toBe("2026-03-01T00:00:00.000Z");
    expect(redefined).toMatchObject({ revision: 3, retiredAt: "2026-03-01T00:00:00.000Z" });
  });

  it("ignores the retirement of an offer it never had", () => {
    expect(
      evolveOffer(undefined, {
        type: "crm.v1.OfferRetired",
        time: "2026-03-01T00:00:00.000Z",
        offerId: "x",
        reason: "",
      }),
    ).toBeUndefined();
  });
});

describe("offer definitions", () => {
  it("accepts a complete definition", () => {
    expect(offerProblems(definition())).toEqual([]);
  });

  it("names every problem of a bad one", () => {
    const problems = offerProblems(
      definition({
        offerId: "has space",
        name: " ",
        channels: [],
        costMinor: -1,
        validFrom: "2026-05-01T00:00:00Z",
        validUntil: "2026-04-01T00:00:00Z",
        perCustomerCap: -2,
        priorResponseRate: 1.5,
        eligibility: [{ attribute: "shoe_size", operator: "in", values: ["42"], threshold: 0 }],
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^offer_id/),
      "name the offer",
      "name at least one channel",
      "cost_minor must not be negative",
      "valid_until must be after valid_from",
      expect.stringMatching(/^per_customer_cap/),
      expect.stringMatching(/^prior_response_rate/),
      expect.stringMatching(/^eligibility\[0\]: .*shoe_size/),
    ]);
  });
});
