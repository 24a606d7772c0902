import { describe, expect, it } from "vitest";
import type { Purchase } from "../src/domain/projections/order-summary.js";
import { historicValueOf } from "../src/domain/scores/historic-value.js";
import { lifecycleHistory } from "../src/domain/scores/lifecycle.js";
import { rfmBreakpointsOf, rfmScoresOf, rfmSegmentOf } from "../src/domain/scores/rfm.js";
import { responsePolicyOf, segmentCellOf } from "../src/domain/scores/segment-grid.js";
import { tierOf } from "../src/domain/scores/tier.js";
import { day, settings } from "./scoring-fixtures.js";

const purchase = (n: number, netRevenueMinor = 10_000, netMarginMinor = 2_500): Purchase => ({
  orderId: `O-${n}`,
  eventId: `e-${n}`,
  time: day(n),
  netRevenueMinor,
  netMarginMinor,
});

describe("RFM", () => {
  const population = Array.from({ length: 10 }, (_, i) => ({
    recencyDays: (i + 1) * 10,
    frequency: i + 1,
    monetaryMinor: (i + 1) * 1_000,
  }));
  const breakpoints = rfmBreakpointsOf(population);

  it("takes the quintile edges of the population", () => {
    expect(breakpoints).toEqual({
      recencyDays: [20, 40, 60, 80],
      frequency: [2, 4, 6, 8],
      monetaryMinor: [2_000, 4_000, 6_000, 8_000],
    });
  });

  it("scores recent, frequent, big spenders 5 and the opposite 1", () => {
    expect(rfmScoresOf({ recencyDays: 5, frequency: 9, monetaryMinor: 9_000 }, breakpoints)).toEqual({
      recency: 5,
      frequency: 5,
      monetary: 5,
    });
    expect(rfmScoresOf({ recencyDays: 100, frequency: 1, monetaryMinor: 500 }, breakpoints)).toEqual({
      recency: 1,
      frequency: 1,
      monetary: 1,
    });
    expect(rfmScoresOf({ recencyDays: 40, frequency: 4, monetaryMinor: 4_000 }, breakpoints)).toEqual({
      recency: 4,
      frequency: 2,
      monetary: 2,
    });
  });

  it("names the segments of the recency × frequency map", () => {
    const segment = (recency: number, frequency: number) => rfmSegmentOf({ recency, frequency, monetary: 3 });
    expect(segment(5, 5)).toBe("champions");
    expect(segment(3, 5)).toBe("loyal_customers");
    expect(segment(4, 2)).toBe("potential_loyalists");
    expect(segment(5, 1)).toBe("new_customers");
    expect(segment(4, 1)).toBe("promising");
    expect(segment(3, 3)).toBe("need_attention");
    expect(segment(3, 1)).toBe("about_to_sleep");
    expect(segment(1, 5)).toBe("cannot_lose_them");
    expect(segment(2, 4)).toBe("at_risk");
    expect(segment(2, 1)).toBe("hibernating");
    expect(segment(1, 2)).toBe("lost");
  });
});

describe("historic lifetime value", () => {
  it("discounts each period's margin: S1 + S2/(1+r) + S3/(1+r)^2", () => {
    const purchases = [
      purchase(0, 0, 1_000),
      purchase(100, 0, 1_000),
      purchase(400, 0, 1_100),
      purchase(800, 0, 1_210),
    ];

    const value = historicValueOf(purchases, { periodDays: 365, ratePerPeriod: 0.1 });

    expect(value.periods).toEqual([
      { period: 1, marginMinor: 2_000 },
      { period: 2, marginMinor: 1_100 },
      { period: 3, marginMinor: 1_210 },
    ]);
    expect(value.valueMinor).toBe(2_000 + 1_000 + 1_000);
  });

  it("is zero without purchases", () => {
    expect(historicValueOf([], settings.historicValue)).toEqual({ valueMinor: 0, periods: [] });
  });
});

describe("the lifecycle", () => {
  const stages = (purchaseDays: number[], asOfDay: number) =>
    lifecycleHistory(
      day(-5),
      purchaseDays.map((n) => ({ time: day(n), eventId: `e-${n}` })),
      Date.parse(day(asOfDay)),
      settings.lifecycle,
    ).map(
      (transition) =>
        `${transition.stage}@${(Date.parse(transition.since) - Date.parse(day(0))) / 86_400_000}`,
    );

  it("goes prospect → new stage 1 → new stage 2 → active", () => {
    expect(stages([], 10)).toEqual(["prospect@-5"]);
    expect(stages([0, 10, 20], 30)).toEqual(["prospect@-5", "new_stage_1@0", "new_stage_2@10", "active@20"]);
  });

  it("moves a silent buyer to at risk and lapsed, and reactivates a lapsed one who buys again", () => {
    expect(stages([0, 10, 20], 250)).toEqual([
      "prospect@-5",
      "new_stage_1@0",
      "new_stage_2@10",
      "active@20",
      "at_risk@110",
      "lapsed@200",
    ]);
    expect(stages([0, 10, 20, 300, 310], 320)).toEqual([
      "prospect@-5",
      "new_stage_1@0",
      "new_stage_2@10",
      "active@20",
      "at_risk@110",
      "lapsed@200",
      "reactivated@300",
      "active@310",
    ]);
  });

  it("brings an at-risk buyer back without calling it a reactivation", () => {
    expect(stages([0, 100], 110)).toEqual(["prospect@-5", "new_stage_1@0", "at_risk@90", "new_stage_2@100"]);
  });

  it("answers as of a past time from the purchases before it", () => {
    expect(stages([0, 10, 20], 15)).toEqual(["prospect@-5", "new_stage_1@0", "new_stage_2@10"]);
  });

  it("records which purchase caused a stage", () => {
    const history = lifecycleHistory(
      day(0),
      [{ time: day(1), eventId: "shop:O-1" }],
      Date.parse(day(2)),
      settings.lifecycle,
    );
    expect(history.at(-1)).toEqual({
      stage: "new_stage_1",
      since: day(1),
      cause: { kind: "purchase", eventId: "shop:O-1" },
    });
  });
});

describe("the tier", () => {
  const asOf = Date.parse(day(400));
  it("climbs from all to registered to purchasing to platinum", () => {
    expect(tierOf(false, [], asOf, settings.tier)).toBe("all");
    expect(tierOf(true, [], asOf, settings.tier)).toBe("registered");
    expect(tierOf(false, [purchase(390, 50_000)], asOf, settings.tier)).toBe("purchasing");
    expect(tierOf(true, [purchase(390, 600_000), purchase(395, 400_000)], asOf, settings.tier)).toBe(
      "platinum",
    );
  });

  it("counts only the platinum window's revenue", () => {
    expect(tierOf(true, [purchase(10, 900_000), purchase(395, 400_000)], asOf, settings.tier)).toBe(
      "purchasing",
    );
  });
});

describe("the segment grid", () => {
  const thresholds = { purchasingPowerMinor: 100_000, loyaltyOrders: 3 };
  const cell = (revenue: number, orders: number, positive: number, signals: number) =>
    segmentCellOf(
      {
        revenueLastYearMinor: revenue,
        ordersLastYear: orders,
        positiveResponses: positive,
        responseSignals: signals,
      },
      thresholds,
    );

  it("places a customer by purchasing power, loyalty and response", () => {
    expect(cell(150_000, 4, 2, 2)).toEqual({
      purchasingPower: "high",
      loyalty: "high",
      responsePropensity: "high",
    });
    expect(cell(50_000, 1, 0, 0)).toEqual({
      purchasingPower: "low",
      loyalty: "low",
      responsePropensity: "low",
    });
    expect(cell(50_000, 3, 1, 3)).toEqual({
      purchasingPower: "low",
      loyalty: "high",
      responsePropensity: "low",
    });
  });

  it("gives seed 001's response policy per cell", () => {
    expect(responsePolicyOf(cell(150_000, 4, 2, 2))).toBe("top_priority_best_terms");
    expect(responsePolicyOf(cell(150_000, 1, 2, 2))).toBe("respond_with_appropriate_terms");
    expect(responsePolicyOf(cell(50_000, 4, 2, 2))).toBe("respond_with_appropriate_terms");
    expect(responsePolicyOf(cell(50_000, 1, 2, 2))).toBe("not_targeted");
    expect(responsePolicyOf(cell(150_000, 4, 0, 2))).toBe("not_targeted");
  });
});
