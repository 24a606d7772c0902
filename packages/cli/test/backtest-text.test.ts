import type { BacktestModelsResponse, ModelBacktest } from "@rapport/proto";
import { describe, expect, it } from "vitest";
import { backtestJson, backtestText } from "../src/index.js";

const weeks = ["2025-06-10", "2025-06-17", "2025-06-24", "2025-07-01", "2025-07-08", "2025-07-15"].map(
  (day) => `${day}T00:00:00.000Z`,
);

const paretoNbd: ModelBacktest = {
  model: "pareto-nbd",
  failure: "",
  fit: {
    model: "pareto-nbd",
    parameters: { r: 0.5534, alpha: 10.58, s: 0.6061, beta: 11.67 },
    logLikelihood: -9595.04,
    customers: 2_357,
    iterations: 310,
    converged: true,
  },
  purchases: { predicted: 1_788.4, actual: 1_652, percentError: 8.26, meanAbsoluteError: 0.81 },
  spendMinor: { predicted: 52_100_000, actual: 50_000_000, percentError: 4.2, meanAbsoluteError: 23_500 },
  byCalibrationFrequency: [
    {
      repeatPurchases: 0,
      andMore: false,
      customers: 1_411,
      meanPredictedPurchases: 0.24,
      meanActualPurchases: 0.23,
    },
    {
      repeatPurchases: 1,
      andMore: false,
      customers: 439,
      meanPredictedPurchases: 0.69,
      meanActualPurchases: 0.7,
    },
    {
      repeatPurchases: 7,
      andMore: true,
      customers: 51,
      meanPredictedPurchases: 6.4,
      meanActualPurchases: 6.9,
    },
  ],
  tracking: weeks.map((at, index) => ({ at, predicted: 100 * index + 5, actual: 100 * index })),
};

const failed: ModelBacktest = {
  model: "bg-nbd",
  failure: "no customer made a repeat purchase",
  fit: undefined,
  purchases: undefined,
  spendMinor: undefined,
  byCalibrationFrequency: [],
  tracking: [],
};

const backtest: BacktestModelsResponse = {
  calibrationEnd: weeks[3] as string,
  holdoutEnd: weeks[5] as string,
  customers: 2_357,
  calibrationDays: 273,
  holdoutDays: 14,
  gammaGamma: {
    p: 6.25,
    q: 3.74,
    v: 15.45,
    logLikelihood: -4063,
    customers: 946,
    iterations: 120,
    converged: true,
  },
  gammaGammaFailure: "",
  models: [failed, paretoNbd],
  bestModel: "pareto-nbd",
  currency: "KRW",
  ranAt: "2026-12-08T01:00:00.000Z",
  durationMs: 12_300,
};

describe("a backtest as text", () => {
  const lines = backtestText(backtest).split("\n");

  it("says what was backtested on which customers", () => {
    expect(lines[0]).toBe("Backtest of the purchase-count models, run 2026-12-08T01:00:00.000Z (12.3 s)");
    expect(lines).toContain("  holdout      2025-07-01 to 2025-07-15 (14 days)");
    expect(lines).toContain("  customers    2,357 (first bought by the calibration end)");
    expect(lines).toContain("  spend model  Gamma-Gamma p 6.25  q 3.74  v 15.45 over 946 repeat buyers");
  });

  it("compares each model's holdout purchases and spend with what happened, and names the closest", () => {
    const pareto = lines.find((line) => line.startsWith("  Pareto/NBD  "));
    expect(pareto).toMatch(
      /-9,595 +1,788\.4 +1,652 +\+8\.3% +0\.8 +52,100,000 KRW +50,000,000 KRW +\+4\.2% +23,500 KRW$/,
    );
    expect(lines.find((line) => line.startsWith("  BG/NBD"))).toMatch(
      /^ {2}BG\/NBD +not fitted: no customer made a repeat purchase$/,
    );
    expect(lines).toContain("  closest: Pareto/NBD (SCORING_PURCHASE_MODEL=auto fits with it)");
    expect(lines).toContain("  Pareto/NBD: r 0.5534  alpha 10.58  s 0.6061  beta 11.67");
  });

  it("lists the conditional expectations by calibration repeat purchases, 7 and more last", () => {
    const at = lines.indexOf(
      "Mean holdout purchases per customer by repeat purchases in the calibration period",
    );
    expect(lines[at + 1]).toMatch(/^ {2}repeat purchases +customers +actual +Pareto\/NBD$/);
    expect(lines[at + 2]).toMatch(/^ {2}0 +1,411 +0\.23 +0\.24$/);
    expect(lines[at + 4]).toMatch(/^ {2}7\+ +51 +6\.9 +6\.4$/);
  });

  it("tracks cumulative repeat purchases weekly, marking the calibration end, and charts them", () => {
    expect(lines.find((line) => line.startsWith("  2025-07-01 |"))).toMatch(/ 300 +305$/);
    expect(lines.find((line) => line.startsWith("  2025-07-15"))).toMatch(/ 500 +505$/);
    expect(lines).toContain("  * actual, o Pareto/NBD: cumulative repeat purchases");
    const chart = lines.slice(lines.indexOf("  * actual, o Pareto/NBD: cumulative repeat purchases") + 1);
    expect(chart[0]).toMatch(/^ {2}505 ┤/);
    // The calibration end's column runs through the chart.
    expect(
      chart.slice(0, 12).every((line) => line.includes("|") || line.includes("*") || line.includes("o")),
    ).toBe(true);
    expect(chart[11]).toMatch(/^ {4}0 ┤\*/);
  });

  it("prints the proto's fields as JSON for scripts", () => {
    expect(JSON.parse(backtestJson(backtest))).toEqual(JSON.parse(JSON.stringify(backtest)));
  });
});
