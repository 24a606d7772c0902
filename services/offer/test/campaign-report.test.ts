import { describe, expect, it } from "vitest";
import { type CampaignReportInput, campaignReportOf, rateLift } from "../src/domain/campaign-report.js";
import type { ContactFact, ResponseKind } from "../src/domain/contact-facts.js";

describe("the lift of a rate over the holdout's", () => {
  // Newcombe (1998), "Interval estimation for the difference between independent proportions",
  // Statistics in Medicine 17, table II, method 10; the full digits are from an independent
  // implementation in Python (Wilson intervals, z = 1.959963984540054).
  it.each([
    [56, 70, 48, 80, 0.2, 0.052431472402364815, 0.3338726540369059],
    [9, 10, 3, 10, 0.6, 0.17052272393450302, 0.809017973535488],
    [6, 7, 2, 7, 0.5714285714285714, 0.058227927482312314, 0.8062496375242277],
    [5, 56, 0, 29, 0.08928571428571429, -0.03813714790353688, 0.1925600138551116],
    [0, 10, 0, 20, 0, -0.16112515805281938, 0.2775327998628892],
    [10, 10, 0, 20, 1, 0.6790860371419147, 1],
  ])(
    "%i/%i against %i/%i matches Newcombe's hybrid score interval",
    (x1, n1, x2, n2, difference, lower, upper) => {
      const lift = rateLift(x1, n1, x2, n2);
      expect(lift.difference).toBeCloseTo(difference, 12);
      expect(lift.lower95).toBeCloseTo(lower, 12);
      expect(lift.upper95).toBeCloseTo(upper, 12);
    },
  );

  it("gives the worked example's rates, interval and relative lift", () => {
    const lift = rateLift(56, 70, 48, 80);
    expect(lift.treatmentRate).toBe(0.8);
    expect(lift.holdoutRate).toBe(0.6);
    expect(lift.lower95).toBeCloseTo(0.0524, 4);
    expect(lift.upper95).toBeCloseTo(0.3339, 4);
    expect(lift.relative).toBeCloseTo(1 / 3, 12);
  });

  it("has no relative lift when nobody in the holdout succeeded", () => {
    expect(rateLift(5, 56, 0, 29)).not.toHaveProperty("relative");
  });

  it("treats an empty group as rate 0 known only to lie in [0, 1], without NaN", () => {
    expect(rateLift(0, 0, 0, 0)).toEqual({
      treatmentRate: 0,
      holdoutRate: 0,
      difference: 0,
      lower95: -1,
      upper95: 1,
    });
    const noHoldout = rateLift(4, 10, 0, 0);
    expect(noHoldout.difference).toBe(0.4);
    expect(noHoldout.lower95).toBeCloseTo(-0.6265185626841384, 12);
    expect(noHoldout.upper95).toBeCloseTo(0.6873262302663417, 12);
    expect(Object.values(noHoldout).some(Number.isNaN)).toBe(false);
  });
});

let eventCounter = 0;
const origin = (time: string) => ({ eventId: `e-${++eventCounter}`, time });
const noContactPoints = { emails: [], phones: [] };

const order = (time: string, amountMinor: number): ContactFact => ({
  ...origin(time),
  kind: "order",
  amountMinor,
  contactPoints: noContactPoints,
});
const presented = (time: string, campaignId: string): ContactFact => ({
  ...origin(time),
  kind: "presentation",
  offerId: "tea-tasting",
  strategy: "retention",
  channel: "email",
  campaignId,
  segmentCell: "high_high_low",
});
const responded = (
  time: string,
  campaignId: string,
  response: ResponseKind,
  revenueMinor = 0,
): ContactFact => ({
  ...origin(time),
  kind: "response",
  offerId: "tea-tasting",
  campaignId,
  response,
  revenueMinor,
});
const called = (time: string, direction: "inbound" | "outbound", campaignId: string): ContactFact => ({
  ...origin(time),
  kind: "call",
  direction,
  purpose: "retention",
  outcome: "no_answer",
  campaignId,
  contactPoints: noContactPoints,
});

describe("a campaign's report", () => {
  // Created 1 April with a 30-day window: orders from 1 April 00:00 up to, not including, 1 May count.
  const campaign: CampaignReportInput = {
    campaignId: "spring-tea",
    createdAt: "2026-04-01T00:00:00Z",
    measurementDays: 30,
    offerCostMinor: 5_000,
    targets: [
      { customerId: "t1", group: "treatment" },
      { customerId: "t2", group: "treatment" },
      { customerId: "t3", group: "treatment" },
      { customerId: "t4", group: "treatment" },
      { customerId: "t5", group: "treatment" },
      { customerId: "h1", group: "holdout" },
      { customerId: "h2", group: "holdout" },
      { customerId: "h3", group: "holdout" },
    ],
    factsByCustomer: new Map([
      // Presented the offer, accepted it, then converted: one positive responder, one conversion.
      [
        "t1",
        [
          presented("2026-04-02T10:00:00Z", "spring-tea"),
          responded("2026-04-03T10:00:00Z", "spring-tea", "accepted"),
          responded("2026-04-05T10:00:00Z", "spring-tea", "converted", 40_000),
          order("2026-04-05T10:00:00Z", 40_000),
        ],
      ],
      // Called about it, declined; the order came just after the window.
      [
        "t2",
        [
          called("2026-04-02T10:00:00Z", "outbound", "spring-tea"),
          responded("2026-04-02T10:05:00Z", "spring-tea", "declined"),
          order("2026-05-01T00:00:00Z", 70_000),
        ],
      ],
      // Never reached by this campaign (another one's conversion is not ours), but bought anyway.
      [
        "t3",
        [
          presented("2026-04-02T10:00:00Z", "winter-tea"),
          responded("2026-04-04T10:00:00Z", "winter-tea", "converted", 99_999),
          order("2026-04-04T10:00:00Z", 10_000),
        ],
      ],
      // Called in about the campaign (inbound is not the campaign reaching them); ordered before it.
      ["t4", [called("2026-04-02T10:00:00Z", "inbound", "spring-tea"), order("2026-03-31T23:59:59Z", 8_000)]],
      // A response (no answer) is itself a sign of contact; two orders in the window.
      [
        "t5",
        [
          responded("2026-04-06T10:00:00Z", "spring-tea", "no_answer"),
          order("2026-04-10T10:00:00Z", 20_000),
          order("2026-04-30T23:59:59Z", 5_000),
        ],
      ],
      ["h1", [order("2026-04-20T10:00:00Z", 10_001)]],
      // A holdout customer cannot respond to a campaign that never reached them; such a fact is ignored.
      [
        "h2",
        [
          responded("2026-04-06T10:00:00Z", "spring-tea", "converted", 12_345),
          order("2026-03-15T00:00:00Z", 9),
        ],
      ],
      // h3 has no facts at all.
    ]),
  };

  it("counts reach, responses, revenue and return on the offer's cost", () => {
    const report = campaignReportOf(campaign);
    expect(report).toMatchObject({
      targeted: 5,
      holdout: 3,
      contacted: 3,
      responded: 3,
      positiveResponses: 1,
      responseRate: 1,
      revenueMinor: 40_000,
      costMinor: 15_000,
    });
    expect(report.roi).toBeCloseTo(25_000 / 15_000, 12);
  });

  it("measures conversions and revenue per target in the window against the holdout", () => {
    const report = campaignReportOf(campaign);
    // Treatment: t1, t3 and t5 bought (3 of 5) for 75,000; holdout: h1 (1 of 3) for 10,001.
    expect(report.treatmentRevenuePerTargetMinor).toBe(15_000);
    expect(report.holdoutRevenuePerTargetMinor).toBe(3_334);
    expect(report.conversionLift.treatmentRate).toBe(0.6);
    expect(report.conversionLift.holdoutRate).toBeCloseTo(1 / 3, 12);
    expect(report.conversionLift.difference).toBeCloseTo(0.26666666666666666, 12);
    expect(report.conversionLift.lower95).toBeCloseTo(-0.3224445647258131, 12);
    expect(report.conversionLift.upper95).toBeCloseTo(0.6586306544359248, 12);
    expect(report.conversionLift.relative).toBeCloseTo(0.8, 12);
  });

  it("of a campaign that reached nobody has rates of 0 and no return", () => {
    const report = campaignReportOf({ ...campaign, targets: [], factsByCustomer: new Map() });
    expect(report).toEqual({
      targeted: 0,
      holdout: 0,
      contacted: 0,
      responded: 0,
      positiveResponses: 0,
      responseRate: 0,
      revenueMinor: 0,
      costMinor: 0,
      conversionLift: { treatmentRate: 0, holdoutRate: 0, difference: 0, lower95: -1, upper95: 1 },
      treatmentRevenuePerTargetMinor: 0,
      holdoutRevenuePerTargetMinor: 0,
    });
  });

  it("has no return on investment when the offer cost nothing", () => {
    const report = campaignReportOf({ ...campaign, offerCostMinor: 0 });
    expect(report.costMinor).toBe(0);
    expect(report).not.toHaveProperty("roi");
  });
});
