import { seededRandom } from "@rapport/sampling";
import { describe, expect, it } from "vitest";
import {
  expectedPurchasesNewCustomer,
  mbgNbdExpectedPurchasesNewCustomer,
  type PurchaseHistory,
  paretoNbdExpectedPurchasesNewCustomer,
} from "../../src/domain/lifetime-value/index.js";
import { relativeError } from "./relative-error.js";
import {
  beta,
  gamma,
  simulateCustomers,
  simulateMbgNbdCustomers,
  simulateParetoNbdCustomers,
} from "./simulate-customers.js";

// The recovery test trusts this simulator as ground truth, so its samplers are checked first.
const draws = 200_000;

function meanAndVariance(sample: readonly number[]): { mean: number; variance: number } {
  const mean = sample.reduce((sum, x) => sum + x, 0) / sample.length;
  const variance = sample.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (sample.length - 1);
  return { mean, variance };
}

describe("the customer simulator", () => {
  it("repeats itself from a seed, with uniform numbers in [0, 1)", () => {
    const first = Array.from({ length: draws }, seededRandom(42));
    const again = Array.from({ length: 5 }, seededRandom(42));

    expect(again).toEqual(first.slice(0, 5));
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(meanAndVariance(first).mean).toBeCloseTo(0.5, 2);
    expect(meanAndVariance(first).variance).toBeCloseTo(1 / 12, 3);
  });

  // Tolerances are several standard errors of the estimates at 200,000 draws.
  it.each([
    [0.25, 4],
    [4, 15],
    [6, 0.2],
  ])("draws Gamma(%d, rate %d) with mean shape/rate and variance shape/rate²", (shape, rate) => {
    const random = seededRandom(7);
    const { mean, variance } = meanAndVariance(
      Array.from({ length: draws }, () => gamma(random, shape, rate)),
    );

    expect(relativeError(mean, shape / rate)).toBeLessThan(0.02);
    expect(relativeError(variance, shape / rate ** 2)).toBeLessThan(0.1);
  });

  it("draws Beta(a, b) with mean a/(a + b)", () => {
    const random = seededRandom(11);
    const { mean, variance } = meanAndVariance(Array.from({ length: draws }, () => beta(random, 0.8, 2.5)));

    expect(mean).toBeCloseTo(0.8 / 3.3, 2);
    expect(relativeError(variance, (0.8 * 2.5) / (3.3 ** 2 * 4.3))).toBeLessThan(0.03);
  });

  it("makes as many repeat purchases as BG/NBD expects of a customer of the same age (FHL 2005 eq. 9)", () => {
    const bgNbd = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
    const customers = simulateCustomers({
      customers: 50_000,
      seed: 3,
      bgNbd,
      gammaGamma: { p: 6, q: 4, v: 15 },
      minAgeDays: 30,
      maxAgeDays: 365,
    });
    const simulated = meanAndVariance(customers.map((customer) => customer.repeatPurchases)).mean;
    // The age is uniform on [30, 365]: average eq. (9) over a fine grid of ages.
    const ages = Array.from({ length: 1001 }, (_, i) => 30 + (335 * i) / 1000);
    const expected =
      ages.reduce((sum, age) => sum + expectedPurchasesNewCustomer(bgNbd, age), 0) / ages.length;

    expect(relativeError(simulated, expected)).toBeLessThan(0.06);
    expect(customers.every(({ recencyDays, ageDays }) => recencyDays <= ageDays)).toBe(true);
    expect(
      customers
        .filter(({ repeatPurchases }) => repeatPurchases === 0)
        .every(({ recencyDays, meanRepeatSpend }) => recencyDays === 0 && meanRepeatSpend === 0),
    ).toBe(true);
  });

  // Both draw 50,000 customers observed 30–365 days and compare their mean repeat purchases with
  // the model's E[X(T)] averaged over the same ages. The standard error of that mean is 1.3 % of it
  // for MBG/NBD and 0.9 % for Pareto/NBD: 5 % is at least 3.7 of them.
  const mbgNbd = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
  const paretoNbd = { r: 0.5, alpha: 20, s: 0.8, beta: 200 };
  const observed = { customers: 50_000, seed: 5, minAgeDays: 30, maxAgeDays: 365 };
  it.each([
    [
      "MBG/NBD",
      () => simulateMbgNbdCustomers({ ...observed, parameters: mbgNbd }),
      (days: number) => mbgNbdExpectedPurchasesNewCustomer(mbgNbd, days),
    ],
    [
      "Pareto/NBD",
      () => simulateParetoNbdCustomers({ ...observed, parameters: paretoNbd }),
      (days: number) => paretoNbdExpectedPurchasesNewCustomer(paretoNbd, days),
    ],
  ])(
    "makes as many repeat purchases as %s expects of a customer of the same age",
    (_, simulate, expectedBy) => {
      const customers: PurchaseHistory[] = simulate();
      const simulated = meanAndVariance(customers.map((customer) => customer.repeatPurchases)).mean;
      const ages = Array.from({ length: 1001 }, (_, i) => 30 + (335 * i) / 1000);
      const expected = ages.reduce((sum, age) => sum + expectedBy(age), 0) / ages.length;

      expect(relativeError(simulated, expected)).toBeLessThan(0.05);
      expect(customers.every(({ recencyDays, ageDays }) => recencyDays <= ageDays)).toBe(true);
      expect(
        customers
          .filter(({ repeatPurchases }) => repeatPurchases === 0)
          .every(({ recencyDays }) => recencyDays === 0),
      ).toBe(true);
    },
  );
});
