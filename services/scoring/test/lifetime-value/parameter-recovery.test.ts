import { describe, expect, it } from "vitest";
import {
  type BgNbdParameters,
  bgNbdLogLikelihood,
  fitBgNbd,
  fitGammaGamma,
  type GammaGammaParameters,
  gammaGammaLogLikelihood,
} from "../../src/domain/lifetime-value/index.js";
import { relativeError } from "./relative-error.js";
import { simulateCustomers } from "./simulate-customers.js";

const bgNbd: BgNbdParameters = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
const gammaGamma: GammaGammaParameters = { p: 6, q: 4, v: 15 };

// Why 100,000 customers: the drop-out shapes a and b and the spend parameters p and v are weakly
// identified. From the Fisher information at these parameters (computed in Python on 200,000
// simulated customers), the standard errors of the estimates, relative to the truth, are at
// 10,000 customers: r 1.7 %, α 3.2 %, a 4.5 %, b 6.5 %, and (on the ~6,000 of them with a repeat
// purchase) p 5.5 %, q 2.1 %, v 7.3 % — a 10 % tolerance would then be only 1.4 standard errors
// for v. At 100,000 customers (~60,000 repeat buyers) they are r 0.5 %, α 1.0 %, a 1.4 %, b 2.1 %,
// p 2.2 %, q 0.9 %, v 3.0 %: 10 % is at least 3.4 standard errors for every parameter. A longer
// observation window hardly helps (b 6.5 % → 4.9 % at 10,000 customers observed 1–3 years).
// Seed 1 is the first seed tried; seeds 1–8 all recovered every parameter within 6 %.
const customers = simulateCustomers({
  customers: 100_000,
  seed: 1,
  bgNbd,
  gammaGamma,
  minAgeDays: 30,
  maxAgeDays: 365,
});

const acceptance = 0.1;
const fitTimeout = 30_000;

describe("fitting simulated customers recovers the parameters they were drawn from", () => {
  it("BG/NBD: r, α, a and b within 10 %", { timeout: fitTimeout }, () => {
    const fit = fitBgNbd(customers);

    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(100_000);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgNbdLogLikelihood(bgNbd, customers));
    for (const name of ["r", "alpha", "a", "b"] as const) {
      expect(relativeError(fit.parameters[name], bgNbd[name]), name).toBeLessThan(acceptance);
    }
  });

  it("Gamma-Gamma: p, q and v within 10 %, from the customers with a repeat purchase", {
    timeout: fitTimeout,
  }, () => {
    const fit = fitGammaGamma(customers);

    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(customers.filter((customer) => customer.repeatPurchases > 0).length);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(gammaGammaLogLikelihood(gammaGamma, customers));
    for (const name of ["p", "q", "v"] as const) {
      expect(relativeError(fit.parameters[name], gammaGamma[name]), name).toBeLessThan(acceptance);
    }
  });
});
