import { seededRandom } from "@rapport/sampling";
import { describe, expect, it } from "vitest";
import type { ContactFact, PresentationFact, TreatmentFact } from "../src/domain/contact-facts.js";
import { defaultContactPolicy } from "../src/domain/contact-policy.js";
import type { CustomerScores } from "../src/domain/customer-scores.js";
import { decideNextBestOffers, type NextBestOffersInput } from "../src/domain/next-best-offers.js";
import type { Offer, Strategy } from "../src/domain/offer-catalog.js";
import { type ResponseCounts, type ResponseTally, sampleBeta } from "../src/domain/offer-ranking.js";

const day = (n: number, hour = 0) =>
  new Date(Date.parse("2026-03-01T00:00:00.000Z") + n * 86_400_000 + hour * 3_600_000).toISOString();
const now = Date.parse(day(10));

const offer = (offerId: string, overrides: Partial<Offer> = {}): Offer => ({
  offerId,
  name: offerId,
  description: "",
  kind: "discount",
  strategy: "cross_sell",
  channels: ["email", "web"],
  eligibility: [],
  costMinor: 1_000,
  valueMinor: 40_000,
  perCustomerCap: 0,
  priorResponseRate: 0.05,
  revision: 1,
  updatedAt: day(-60),
  ...overrides,
});

const scores: CustomerScores = {
  customerId: "C-1",
  tier: "platinum",
  lifecycleStage: "active",
  segmentCell: "high_high_high",
  responsePolicy: "top_priority_best_terms",
  revenueMinor: 1_200_000,
  historicValueMinor: 900_000,
  marginMinor: 300_000,
  churnRisk: 0.4,
  topCategories: ["tea"],
  openComplaints: 0,
};

const emailOptIn: ContactFact = {
  kind: "consent",
  eventId: "consent-1",
  time: day(0),
  channel: "email",
  granted: true,
};
const reachable: ContactFact = {
  kind: "profile",
  eventId: "registration",
  time: day(0),
  contactPoints: { emails: ["c1@example.com"], phones: ["+821000000001"] },
};
const treatment = (strategy: Strategy, time: string, reason: string): TreatmentFact => ({
  kind: "treatment",
  eventId: `treatment-${strategy}-${time}`,
  time,
  strategy,
  reason,
});
const presented = (offerId: string, strategy: Strategy, time: string): PresentationFact => ({
  kind: "presentation",
  eventId: `presentation-${offerId}-${time}`,
  time,
  offerId,
  strategy,
  channel: "email",
  segmentCell: "high_high_high",
});

/** Tallies in the customer's cell. */
const countsOf = (tallies: Record<string, ResponseTally>): ResponseCounts =>
  new Map(Object.entries(tallies).map(([offerId, tally]) => [offerId, new Map([["high_high_high", tally]])]));

const decide = (overrides: Partial<NextBestOffersInput>) =>
  decideNextBestOffers({
    offers: [],
    scores,
    facts: [emailOptIn, reachable],
    channel: "email",
    now,
    limit: 10,
    strategies: [],
    explore: false,
    random: seededRandom(1),
    counts: new Map(),
    settings: defaultContactPolicy,
    ...overrides,
  });
const idsOf = (answer: ReturnType<typeof decide>) =>
  answer.decisions.map((decision) => decision.offer.offerId);

describe("the next best offers", () => {
  it("scores an offer from what its customer's cell answered", () => {
    const answer = decide({
      offers: [offer("TEA")],
      counts: countsOf({ TEA: { presentations: 30, positiveResponses: 6 } }),
    });

    expect(answer.decisions[0]?.score).toEqual({
      responseProbability: 7 / 50,
      posteriorAlpha: 7,
      posteriorBeta: 43,
      presentationsSeen: 30,
      positiveResponsesSeen: 6,
      valueMinor: 40_000,
      costMinor: 1_000,
      expectedNetValueMinor: (7 / 50) * 40_000 - 1_000,
      sampled: false,
      segmentCell: "high_high_high",
    });
  });

  it("ranks by expected net value, ties by offer id, and still makes offers worth less than they cost", () => {
    const answer = decide({
      offers: [
        offer("LOSS", { valueMinor: 10_000, costMinor: 2_000 }),
        offer("B-TIE"),
        offer("BEST", { valueMinor: 100_000 }),
        offer("A-TIE"),
      ],
    });

    expect(idsOf(answer)).toEqual(["BEST", "A-TIE", "B-TIE", "LOSS"]);
    expect(answer.decisions.at(-1)?.score.expectedNetValueMinor).toBeCloseTo(0.05 * 10_000 - 2_000, 9);
  });

  it("takes the limit and says where the rest ranked", () => {
    const answer = decide({
      offers: [offer("A", { valueMinor: 30_000 }), offer("B", { valueMinor: 20_000 }), offer("C")],
      limit: 1,
    });

    expect(idsOf(answer)).toEqual(["C"]);
    expect(answer.notMade).toEqual([
      { offerId: "A", reason: "ranked 2, below the limit of 1" },
      { offerId: "B", reason: "ranked 3, below the limit of 1" },
    ]);
  });

  it("makes nothing on a channel the customer may not be contacted on, and says why for every offer", () => {
    const answer = decide({ offers: [offer("A"), offer("B")], facts: [] });

    expect(answer).toEqual({
      decisions: [],
      notMade: [
        { offerId: "A", reason: "email: no opt-in" },
        { offerId: "B", reason: "email: no opt-in" },
      ],
    });
  });

  it("considers only the strategies asked for", () => {
    const offers = [offer("KEEP", { strategy: "retention" }), offer("SELL", { strategy: "cross_sell" })];

    expect(decide({ offers, strategies: ["retention"] })).toMatchObject({
      decisions: [{ offer: { offerId: "KEEP" } }],
      notMade: [],
    });
    expect(idsOf(decide({ offers, strategies: [] }))).toEqual(["KEEP", "SELL"]);
  });

  it("leaves out an offer the contact policy refuses, with the policy's reason", () => {
    const answer = decide({ offers: [offer("A"), offer("SMS-ONLY", { channels: ["sms"] })] });

    expect(idsOf(answer)).toEqual(["A"]);
    expect(answer.notMade).toEqual([{ offerId: "SMS-ONLY", reason: "offer not made on email" }]);
  });

  it("leaves out an offer whose rules the customer fails, with the first rule failed", () => {
    const answer = decide({
      offers: [
        offer("RISKY", {
          eligibility: [
            { attribute: "tier", operator: "in", values: ["platinum"], threshold: 0 },
            { attribute: "churn_risk", operator: "at_least", values: [], threshold: 0.5 },
            { attribute: "rfm_segment", operator: "in", values: ["at_risk"], threshold: 0 },
          ],
        }),
      ],
    });

    expect(answer.notMade).toEqual([{ offerId: "RISKY", reason: "churn_risk at least 0.5: 0.4" }]);
  });

  it("gives the channel's, the policy's and the rules' reasons for an offer made", () => {
    const answer = decide({
      offers: [
        offer("TEA", {
          perCustomerCap: 2,
          eligibility: [{ attribute: "categories", operator: "in", values: ["tea"], threshold: 0 }],
        }),
      ],
    });

    expect(answer.decisions[0]?.reasons).toEqual([
      "email opt-in since 2026-03-01",
      "0 contacts in the last 7 days (cap 3)",
      "0 email contacts in the last 7 days (cap 2)",
      "presented 0 times (cap 2 per customer)",
      "categories in [tea]: tea",
    ]);
  });
});

describe("queued treatments", () => {
  const offers = [
    offer("UPSELL", { strategy: "up_sell", valueMinor: 100_000 }),
    offer("KEEP", { strategy: "retention", valueMinor: 20_000 }),
    offer("ALSO-KEEP", { strategy: "retention", valueMinor: 30_000 }),
  ];

  it("put offers of a queued treatment's strategy first, carrying its reason", () => {
    const answer = decide({
      offers,
      facts: [emailOptIn, reachable, treatment("retention", day(9), "churn_risk_band low → high")],
    });

    expect(idsOf(answer)).toEqual(["ALSO-KEEP", "KEEP", "UPSELL"]);
    expect(answer.decisions.map((decision) => decision.queuedTreatment)).toEqual([
      "churn_risk_band low → high",
      "churn_risk_band low → high",
      undefined,
    ]);
  });

  it("take the latest of several open treatments of a strategy", () => {
    const answer = decide({
      offers,
      facts: [
        emailOptIn,
        reachable,
        treatment("retention", day(8), "lifecycle_stage active → at_risk"),
        treatment("retention", day(9), "churn_risk_band low → high"),
      ],
    });

    expect(answer.decisions[0]?.queuedTreatment).toBe("churn_risk_band low → high");
  });

  it("are answered by any later presentation of an offer of their strategy", () => {
    const answer = decide({
      offers,
      facts: [
        emailOptIn,
        reachable,
        treatment("retention", day(5), "churn_risk_band low → high"),
        presented("OLD-KEEP", "retention", day(6)),
      ],
    });

    expect(idsOf(answer)).toEqual(["UPSELL", "ALSO-KEEP", "KEEP"]);
    expect(answer.decisions.every((decision) => decision.queuedTreatment === undefined)).toBe(true);
  });

  it("are not answered by a presentation before them", () => {
    const answer = decide({
      offers,
      facts: [
        emailOptIn,
        reachable,
        presented("OLD-KEEP", "retention", day(6)),
        treatment("retention", day(7), "churn_risk_band low → high"),
      ],
    });

    expect(idsOf(answer)[0]).toBe("ALSO-KEEP");
  });
});

describe("exploring", () => {
  const proven = offer("PROVEN");
  const untried = offer("UNTRIED");
  const counts = countsOf({ PROVEN: { presentations: 2_000, positiveResponses: 110 } });

  it("ranks by a draw from each posterior, marked as sampled", () => {
    const [decision] = decide({ offers: [proven], counts, explore: true, random: seededRandom(3) }).decisions;

    expect(decision?.score).toMatchObject({ sampled: true, posteriorAlpha: 111, posteriorBeta: 1_909 });
    expect(decision?.score.responseProbability).toBe(sampleBeta(111, 1_909, seededRandom(3)));
  });

  it("gives a little-seen offer its chance while the better-known one wins most draws", () => {
    const winners = Array.from(
      { length: 400 },
      (_, seed) =>
        idsOf(
          decide({ offers: [proven, untried], counts, explore: true, random: seededRandom(seed), limit: 1 }),
        )[0],
    );
    const untriedWins = winners.filter((winner) => winner === "UNTRIED").length;

    expect(untriedWins).toBeGreaterThan(40);
    expect(untriedWins).toBeLessThan(200);
  });

  it("answers the same for the same seed whatever the catalog's order", () => {
    const offers = [proven, untried, offer("THIRD", { valueMinor: 60_000 })];
    const forward = decide({ offers, counts, explore: true, random: seededRandom(11) });
    const backward = decide({ offers: offers.toReversed(), counts, explore: true, random: seededRandom(11) });

    expect(backward.decisions.map((decision) => decision.score)).toEqual(
      forward.decisions.map((decision) => decision.score),
    );
  });
});
