import { describe, expect, it } from "vitest";
import { dayMs } from "../src/domain/customer-facts.js";
import { type CustomerFilter, matchesFilter } from "../src/domain/customer-list.js";
import { profileOf } from "../src/domain/customer-profile.js";
import type { PopulationModel } from "../src/domain/population-model.js";
import { summaryOf } from "../src/domain/scored-customer.js";
import { churnRiskBandWithin, recencyBandOf, recencyScoreWithin } from "../src/domain/scores/recency-band.js";
import { rfmOf } from "../src/domain/scores/rfm.js";
import { populationModel } from "./population-model.fixture.js";
import { historyOf, order, settings } from "./scoring-fixtures.js";

describe("the recency band", () => {
  it("is the lifecycle stage's: at risk and lapsed by time, recent after any purchase within the window", () => {
    expect(recencyBandOf("at_risk")).toBe("at_risk");
    expect(recencyBandOf("lapsed")).toBe("lapsed");
    for (const stage of ["new_stage_1", "new_stage_2", "active", "reactivated"] as const)
      expect(recencyBandOf(stage)).toBe("recent");
  });

  it("keeps the population's recency score at 3 to 5 for a recent buyer, 2 at risk and 1 lapsed", () => {
    const within = (band: "recent" | "at_risk" | "lapsed") =>
      [1, 2, 3, 4, 5].map((quintile) => recencyScoreWithin(quintile, band));
    expect(within("recent")).toEqual([3, 3, 3, 4, 5]);
    expect(within("at_risk")).toEqual([2, 2, 2, 2, 2]);
    expect(within("lapsed")).toEqual([1, 1, 1, 1, 1]);
  });

  it("keeps the model's churn band low or medium for a recent buyer, medium or high at risk, high lapsed", () => {
    const within = (band: "recent" | "at_risk" | "lapsed") =>
      (["low", "medium", "high"] as const).map((modelBand) => churnRiskBandWithin(modelBand, band));
    expect(within("recent")).toEqual(["low", "medium", "medium"]);
    expect(within("at_risk")).toEqual(["medium", "medium", "high"]);
    expect(within("lapsed")).toEqual(["high", "high", "high"]);
  });

  it("names the segment from the kept score and shows the quintile score beside it", () => {
    const breakpoints = {
      recencyDays: [5, 12, 30, 60],
      frequency: [1, 1, 2, 3],
      monetaryMinor: [1, 2, 3, 4],
    };
    expect(rfmOf({ recencyDays: 200, frequency: 5, monetaryMinor: 9 }, breakpoints, "lapsed")).toEqual({
      recencyDays: 200,
      frequency: 5,
      monetaryMinor: 9,
      recencyBand: "lapsed",
      recencyQuintileScore: 1,
      scores: { recency: 1, frequency: 5, monetary: 5 },
      segment: "cannot_lose_them",
    });
    expect(rfmOf({ recencyDays: 3, frequency: 1, monetaryMinor: 1 }, breakpoints, "recent")).toMatchObject({
      recencyQuintileScore: 5,
      scores: { recency: 5, frequency: 1, monetary: 1 },
      segment: "new_customers",
    });
  });
});

describe("a purchase log backfilled decades after it happened", () => {
  // Bought in 1996–97, scored 10,720 days after the last order, against a population that bought
  // even longer ago: by the quintiles alone the most recent fifth (R5), and frequent (F5).
  const lastOrder = "1997-03-01T10:00:00.000Z";
  const asOf = Date.parse(lastOrder) + 10_720 * dayMs;
  const oldPopulation: PopulationModel = {
    ...populationModel,
    rfmBreakpoints: {
      recencyDays: [10_800, 10_900, 11_000, 11_100],
      frequency: [1, 1, 2, 3],
      monetaryMinor: [10_000, 20_000, 40_000, 80_000],
    },
  };
  const profileOfOrders = (times: readonly string[]) =>
    profileOf(
      {
        customerId: "cus_1997",
        mergedCustomerIds: [],
        history: historyOf(times.map((time, i) => order(time, `O-${i}`, 20_000))),
      },
      asOf,
      oldPopulation,
      settings,
    );

  it("does not make a customer silent for 29 years a champion", () => {
    const frequent = profileOfOrders([
      "1996-11-05T10:00:00.000Z",
      "1996-12-10T10:00:00.000Z",
      "1997-01-15T10:00:00.000Z",
      "1997-02-10T10:00:00.000Z",
      lastOrder,
    ]);

    expect(frequent.lifecycle.stage).toBe("lapsed");
    expect(frequent.rfm).toMatchObject({
      recencyDays: 10_720,
      recencyBand: "lapsed",
      recencyQuintileScore: 5,
      scores: { recency: 1, frequency: 5, monetary: 5 },
      segment: "cannot_lose_them",
    });
    expect(frequent.predicted?.churnRiskBand).toBe("high");
  });

  it("calls a one-time buyer of then lost and a high churn risk, whatever P(alive) the model gives", () => {
    const once = profileOfOrders([lastOrder]);

    expect(once.lifecycle.stage).toBe("lapsed");
    expect(once.rfm).toMatchObject({ recencyQuintileScore: 5, scores: { recency: 1 }, segment: "lost" });
    expect(once.predicted?.churnRiskBand).toBe("high");
  });

  it("lists the customer by the kept recency score, not the quintile's", () => {
    const summary = summaryOf(profileOfOrders([lastOrder]));
    const noFilter: CustomerFilter = {
      tiers: [],
      lifecycleStages: [],
      rfmSegments: [],
      segmentCells: [],
      predictedValueMinor: {},
      churnRisk: {},
      minRfmScores: {},
    };

    expect(matchesFilter(summary, { ...noFilter, minRfmScores: { recency: 2 } })).toBe(false);
    expect(matchesFilter(summary, { ...noFilter, rfmSegments: ["lost"] })).toBe(true);
  });
});
