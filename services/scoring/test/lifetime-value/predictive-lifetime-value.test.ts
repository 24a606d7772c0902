import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type GammaGammaParameters,
  type PurchaseAndSpendHistory,
  type PurchaseCountFit,
  predictiveLifetimeValue,
  purchaseOutlookOf,
} from "../../src/domain/lifetime-value/index.js";
import { expectRelativelyClose } from "./relative-error.js";

const bgNbd: PurchaseCountFit = {
  model: "bg-nbd",
  fit: {
    parameters: { r: 0.25, alpha: 4, a: 0.8, b: 2.5 },
    logLikelihood: 0,
    customers: 0,
    iterations: 0,
    converged: true,
  },
};
const gammaGamma: GammaGammaParameters = { p: 6, q: 4, v: 15 };

const regular: PurchaseAndSpendHistory = {
  repeatPurchases: 5,
  recencyDays: 150,
  ageDays: 200,
  meanRepeatSpend: 40,
};
const oneTimer: PurchaseAndSpendHistory = {
  repeatPurchases: 0,
  recencyDays: 0,
  ageDays: 90,
  meanRepeatSpend: 0,
};

// Reference values: Python, mpmath at 50 significant digits. E[N(t)] from FHL 2005 eq. (10) with
// mpmath.hyp2f1, spend p(v + x·m)/(px + q − 1), and the sum written out: months of 365.25/12 days,
// tₖ = min(k·month, horizon) for k = 1..⌈horizon/month⌉, d = (1 + annual)^(1/12) − 1,
// CLV = margin · spend · Σₖ (E[N(tₖ)] − E[N(tₖ₋₁)]) / (1 + d)^k; rounded to the nearest double.
describe("predictive lifetime value", () => {
  it("discounts a regular customer's expected purchases month by month over a year, at a 30 % margin", () => {
    const prediction = predictiveLifetimeValue(purchaseOutlookOf(bgNbd, regular), gammaGamma, regular, {
      horizonDays: 365,
      annualDiscountRate: 0.1,
      marginRate: 0.3,
    });

    expectRelativelyClose(prediction.lifetimeValue, 47.40091360219072, 1e-12);
    expectRelativelyClose(prediction.predictedPurchases, 4.232167446201088, 1e-12);
    expectRelativelyClose(prediction.expectedAverageSpend, 39.09090909090909, 1e-14);
    expectRelativelyClose(prediction.probabilityAlive, 0.6499494284307828, 1e-13);
    expect(prediction.churnRisk).toBeCloseTo(1 - 0.6499494284307828, 13);
  });

  it("values a one-time buyer at the population's mean spend, and takes revenue when no margin is given", () => {
    const prediction = predictiveLifetimeValue(purchaseOutlookOf(bgNbd, oneTimer), gammaGamma, oneTimer, {
      horizonDays: 730,
      annualDiscountRate: 0.08,
    });

    expectRelativelyClose(prediction.lifetimeValue, 31.68231305419319, 1e-12);
    expectRelativelyClose(prediction.predictedPurchases, 1.130433812848442, 1e-12);
    expect(prediction.expectedAverageSpend).toBeCloseTo(30, 12);
    expect(prediction.churnRisk).toBe(0);
  });

  it("without discounting is expected purchases times expected spend", () => {
    const prediction = predictiveLifetimeValue(purchaseOutlookOf(bgNbd, regular), gammaGamma, regular, {
      horizonDays: 365,
      annualDiscountRate: 0,
    });

    expectRelativelyClose(prediction.lifetimeValue, 165.43927289695162, 1e-12);
    expectRelativelyClose(
      prediction.lifetimeValue,
      prediction.predictedPurchases * prediction.expectedAverageSpend,
      1e-14,
    );
  });

  it("grows with the horizon and falls with the discount rate, for any customer", () => {
    fc.assert(
      fc.property(
        arbitraryCustomer,
        fc.integer({ min: 1, max: 1825 }),
        fc.integer({ min: 1, max: 1825 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        (customer, horizonDays, extraDays, annualDiscountRate, extraRate) => {
          const value = (horizon: number, rate: number) =>
            predictiveLifetimeValue(purchaseOutlookOf(bgNbd, customer), gammaGamma, customer, {
              horizonDays: horizon,
              annualDiscountRate: rate,
            }).lifetimeValue;
          const base = value(horizonDays, annualDiscountRate);
          expect(value(horizonDays + extraDays, annualDiscountRate)).toBeGreaterThan(base);
          expect(value(horizonDays, annualDiscountRate + extraRate)).toBeLessThan(base);
        },
      ),
    );
  });
});

const arbitraryCustomer = fc.oneof(
  fc.double({ min: 0, max: 1000, noNaN: true }).map((ageDays) => ({ ...oneTimer, ageDays })),
  fc
    .record({
      repeatPurchases: fc.integer({ min: 1, max: 200 }),
      ageDays: fc.double({ min: 1, max: 1000, noNaN: true }),
      recencyShare: fc.double({ min: 0.5, max: 1, noNaN: true }),
      meanRepeatSpend: fc.double({ min: 1, max: 500, noNaN: true }),
    })
    .map(({ recencyShare, ...customer }) => ({ ...customer, recencyDays: recencyShare * customer.ageDays })),
);
