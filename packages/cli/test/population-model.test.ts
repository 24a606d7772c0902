import type { PopulationModel } from "@rapport/proto";
import { describe, expect, it } from "vitest";
import {
  defaultScoringAddress,
  parseModelOptions,
  populationModelJson,
  populationModelText,
  UsageError,
} from "../src/index.js";

/** A model as scoring answers it after a fit on a shop's first year. */
const fitted: PopulationModel = {
  modelId: "model-2026-03-01T00:00:00.000Z",
  fittedAsOf: "2026-03-01T00:00:00.000Z",
  customers: 12_480,
  buyingCustomers: 8_215,
  rfmBreakpoints: {
    recencyDays: [12.5, 41, 97, 188],
    frequency: [1, 1, 2, 4],
    monetaryMinor: [15_000, 32_000, 61_500, 140_000],
  },
  purchasingPowerThresholdMinor: 58_000,
  loyaltyThresholdOrders: 2,
  purchaseCounts: {
    model: "pareto-nbd",
    parameters: { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 },
    logLikelihood: -9595.0,
    customers: 8_215,
    iterations: 412,
    converged: true,
  },
  purchaseCountChoice: "SCORING_PURCHASE_MODEL=pareto-nbd",
  bgNbd: undefined,
  gammaGamma: {
    p: 6.24882,
    q: 3.74464,
    v: 15.44757,
    logLikelihood: -4063.1,
    customers: 3_190,
    iterations: 188,
    converged: false,
  },
  fitDurationMs: 1_840,
};

/** Fewer than enough repeat buyers: RFM and the grid, no lifetime-value fits. */
const early: PopulationModel = {
  ...fitted,
  modelId: "model-2026-01-05T00:00:00.000Z",
  customers: 30,
  buyingCustomers: 0,
  rfmBreakpoints: { recencyDays: [0, 0, 0, 0], frequency: [0, 0, 0, 0], monetaryMinor: [0, 0, 0, 0] },
  purchasingPowerThresholdMinor: 0,
  loyaltyThresholdOrders: 0,
  purchaseCounts: undefined,
  gammaGamma: undefined,
};

describe("the population model as text", () => {
  it("shows what the model was fitted on, its breakpoints, thresholds and both fits", () => {
    const lines = populationModelText(fitted).split("\n");
    expect(lines[0]).toBe("Population model model-2026-03-01T00:00:00.000Z");
    expect(lines).toContain("  fitted as of            2026-03-01T00:00:00.000Z");
    expect(lines).toContain("  customers               12,480");
    expect(lines).toContain("  buying customers        8,215");
    expect(lines).toContain("  fit took                1.8 s");
    expect(lines).toContain("  recency (days)          12.5 | 41 | 97 | 188");
    expect(lines).toContain("  frequency (orders)      1 | 1 | 2 | 4");
    expect(lines).toContain("  monetary (minor units)  15,000 | 32,000 | 61,500 | 140,000");
    expect(lines).toContain("  purchasing power        58,000 minor units of net revenue");
    expect(lines).toContain("  loyalty                 2 orders (loyalty is never high below 2)");
    expect(lines).toContain("Pareto/NBD (purchases and P(alive))");
    expect(lines).toContain("  chosen by SCORING_PURCHASE_MODEL=pareto-nbd");
    expect(lines).toContain("  r 0.5534  alpha 10.5802  s 0.6061  beta 11.6562");
    expect(lines).toContain("  log-likelihood -9,595 over 8,215 customers, 412 iterations, converged");
    expect(lines).toContain("  p 6.24882  q 3.74464  v 15.4476");
    expect(lines).toContain("  log-likelihood -4,063.1 over 3,190 customers, 188 iterations, NOT converged");
  });

  it("says the lifetime-value fits were not made when too few customers bought again", () => {
    const text = populationModelText(early);
    expect(text.match(/not fitted: too few customers have bought more than once/g)).toHaveLength(2);
    expect(text).not.toContain("log-likelihood");
    expect(text).toContain("  loyalty                 0 orders (loyalty is never high below 2)");
    expect(populationModelText({ ...early, loyaltyThresholdOrders: 1 })).toContain(" 1 order (loyalty");
  });
});

describe("the population model as JSON", () => {
  it("keeps the proto's field names and every field", () => {
    expect(JSON.parse(populationModelJson(fitted))).toEqual(fitted);
  });

  it("writes a fit that was not made as null, and zeros as zeros", () => {
    const json = JSON.parse(populationModelJson(early));
    expect(json.purchaseCounts).toBeNull();
    expect(json.gammaGamma).toBeNull();
    expect(json.buyingCustomers).toBe(0);
    expect(json.loyaltyThresholdOrders).toBe(0);
  });
});

describe("rapport model options", () => {
  it("asks scoring on 127.0.0.1:50053 for text unless told otherwise", () => {
    expect(parseModelOptions(["scoring"], { env: {} })).toEqual({
      kind: "scoring",
      scoringAddress: defaultScoringAddress,
      json: false,
      refit: false,
    });
    expect(defaultScoringAddress).toBe("127.0.0.1:50053");
  });

  it("takes scoring's address from --scoring, else SCORING_GRPC_ADDRESS", () => {
    const env = { SCORING_GRPC_ADDRESS: "scoring.internal:6003" };
    expect(parseModelOptions(["scoring"], { env }).scoringAddress).toBe("scoring.internal:6003");
    expect(parseModelOptions(["scoring", "--scoring", "[::1]:50053", "--json"], { env })).toEqual({
      kind: "scoring",
      scoringAddress: "[::1]:50053",
      json: true,
      refit: false,
    });
  });

  it("backtests a period, every model unless --models names some", () => {
    expect(
      parseModelOptions(["backtest", "--calibration-end", "2025-07-01", "--holdout-end", "2026-01-01"], {
        env: {},
      }),
    ).toEqual({
      kind: "backtest",
      scoringAddress: defaultScoringAddress,
      json: false,
      calibrationEnd: "2025-07-01T00:00:00.000Z",
      holdoutEnd: "2026-01-01T00:00:00.000Z",
      models: [],
    });
    expect(
      parseModelOptions(
        [
          "backtest",
          "--calibration-end",
          "2025-07-01",
          "--holdout-end",
          "2026-01-01",
          "--models",
          "bg-nbd, pareto-nbd",
        ],
        { env: {} },
      ),
    ).toMatchObject({ models: ["bg-nbd", "pareto-nbd"] });
  });

  it("fits with --refit, as of a day or an RFC 3339 time with --as-of", () => {
    expect(parseModelOptions(["scoring", "--refit", "--as-of", "2025-07-01"], { env: {} })).toMatchObject({
      refit: true,
      asOf: "2025-07-01T00:00:00.000Z",
    });
    expect(parseModelOptions(["scoring", "--as-of", "2025-07-01T09:00:00+09:00"], { env: {} })).toMatchObject(
      { refit: false, asOf: "2025-07-01T00:00:00.000Z" },
    );
  });

  it("refuses what it cannot do as usage errors", () => {
    const refusals: [string[], string][] = [
      [[], "give what to show: rapport model <scoring|backtest>"],
      [["identity"], 'no model of "identity"; choose one of scoring, backtest'],
      [["scoring", "extra"], "give what to show"],
      [["scoring", "--holdout-end", "2025-01-01"], "--holdout-end is not an option of rapport model scoring"],
      [
        ["backtest", "--calibration-end", "2025-07-01"],
        "give the period: --calibration-end <day> --holdout-end <day>",
      ],
      [
        ["backtest", "--calibration-end", "2025-07-01", "--holdout-end", "2025-07-01"],
        "--holdout-end must be after --calibration-end",
      ],
      [
        ["backtest", "--refit", "--calibration-end", "2025-07-01", "--holdout-end", "2026-01-01"],
        "--refit is not an option of rapport model backtest",
      ],
      [["scoring", "--scoring", "localhost"], "is not host:port"],
      [["scoring", "--json=yes"], "json"],
      [["scoring", "--frobnicate"], "frobnicate"],
      [
        ["scoring", "--as-of", "last summer"],
        '--as-of "last summer" is not an ISO 8601 time, e.g. 2026-03-01 or 2026-03-01T09:30:00Z',
      ],
      [["scoring", "--as-of", "2025-13-45"], '--as-of "2025-13-45" is not an ISO 8601 time'],
    ];
    for (const [args, message] of refusals) {
      expect(() => parseModelOptions(args, { env: {} }), args.join(" ")).toThrow(UsageError);
      expect(() => parseModelOptions(args, { env: {} }), args.join(" ")).toThrow(message);
    }
  });
});
