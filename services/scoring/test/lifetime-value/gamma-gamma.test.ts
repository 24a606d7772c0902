import { describe, expect, it } from "vitest";
import {
  expectedAverageSpend,
  fitGammaGamma,
  type GammaGammaParameters,
  gammaGammaCustomerLogLikelihood,
  gammaGammaLogLikelihood,
} from "../../src/domain/lifetime-value/index.js";
import { expectRelativelyClose } from "./relative-error.js";

// Reference values: Python, mpmath at 50 significant digits, from note 025's closed forms:
//   log-likelihood  log(Γ(px+q)/(Γ(px)Γ(q)) · v^q · m^(px−1) · x^(px) / (v + m·x)^(px+q))   (mpmath.gamma)
//   expected spend  p(v + x·m)/(px + q − 1)
// rounded to the nearest double.

/** Note 025's CDNOW estimates (p, q, γ). */
const cdnow: GammaGammaParameters = { p: 6.25, q: 3.74, v: 15.44 };
/** The parameters the recovery test simulates from: a mean spend of p·v/(q − 1) = 30. */
const simulated: GammaGammaParameters = { p: 6, q: 4, v: 15 };

const spend = (repeatPurchases: number, meanRepeatSpend: number) => ({ repeatPurchases, meanRepeatSpend });

describe("Gamma-Gamma log-likelihood of one customer's mean repeat spend", () => {
  it.each([
    [cdnow, spend(1, 30), -3.94853564565473],
    [cdnow, spend(2, 25.5), -3.6529127527061833],
    [cdnow, spend(5, 22.5), -3.4844118481348696],
    [cdnow, spend(40, 80), -6.356665021309142],
    [simulated, spend(1, 30), -4.005860916912212],
    [simulated, spend(2, 25.5), -3.653841858747489],
    [simulated, spend(5, 22.5), -3.4230056706301846],
    [simulated, spend(40, 80), -6.818852311986538],
  ])("matches the closed form for %o and %o", (parameters, customer, expected) => {
    expectRelativelyClose(gammaGammaCustomerLogLikelihood(parameters, customer), expected, 1e-13);
  });

  it("sums over the customers with a repeat purchase of positive value, skipping the others", () => {
    const customers = [spend(1, 30), spend(0, 0), spend(5, 22.5), spend(3, 0)];

    expectRelativelyClose(
      gammaGammaLogLikelihood(cdnow, customers),
      -3.94853564565473 - 3.4844118481348696,
      1e-13,
    );
  });
});

describe("expected spend per purchase", () => {
  it.each([
    [cdnow, spend(1, 30), 31.590656284760843],
    [cdnow, spend(2, 25.5), 27.24737532808399],
    [cdnow, spend(5, 22.5), 23.52530155928214],
    [cdnow, spend(40, 80), 79.5145208514679],
    [simulated, spend(5, 22.5), 23.181818181818183],
    [simulated, spend(40, 80), 79.38271604938272],
  ])("matches p(v + x·m)/(px + q − 1) for %o and %o", (parameters, customer, expected) => {
    expectRelativelyClose(expectedAverageSpend(parameters, customer), expected, 1e-14);
  });

  it("is the population mean p·v/(q − 1) for a customer without repeat purchases", () => {
    expect(expectedAverageSpend(simulated, spend(0, 0))).toBeCloseTo(30, 12);
  });

  it("leans from the population mean towards the customer's own mean as repeat purchases add up", () => {
    const estimates = [1, 3, 10, 100, 10_000].map((x) => expectedAverageSpend(simulated, spend(x, 80)));

    estimates.reduce((previous, estimate) => {
      expect(estimate).toBeGreaterThan(previous);
      return estimate;
    }, 30);
    expect(estimates.at(-1)).toBeCloseTo(80, 1);
  });
});

describe("fitting Gamma-Gamma", () => {
  it("refuses an empty population, or one with no repeat purchase of positive value", () => {
    expect(() => fitGammaGamma([])).toThrow(expect.objectContaining({ reason: "no-customers" }));
    expect(() => fitGammaGamma([spend(0, 0), spend(2, 0)])).toThrow(
      expect.objectContaining({ reason: "no-repeat-purchases" }),
    );
  });
});
