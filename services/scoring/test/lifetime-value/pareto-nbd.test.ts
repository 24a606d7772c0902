import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  fitParetoNbd,
  type ParetoNbdParameters,
  type PurchaseHistory,
  paretoNbdCustomerLogLikelihood,
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesNewCustomer,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
} from "../../src/domain/lifetime-value/index.js";
import { expectRelativelyClose } from "./relative-error.js";

// Reference values, unless a test names a published source: computed independently in Python with
// mpmath at 50 significant digits, from FH 2005's closed forms exactly as printed, with the note's
// α ≥ β / α < β split of A₀ and no transformations:
//   log-likelihood  log(Γ(r+x)αʳβˢ/Γ(r)·[1/((α+T)^(r+x)(β+T)ˢ) + s/(r+s+x)·A₀])
//     A₀ (α ≥ β)    F(tₓ) − F(T), F(y) = mpmath.hyp2f1(r+s+x, s+1, r+s+x+1, (α−β)/(α+y))/(α+y)^(r+s+x)
//     A₀ (α < β)    F(tₓ) − F(T), F(y) = mpmath.hyp2f1(r+s+x, r+x, r+s+x+1, (β−α)/(β+y))/(β+y)^(r+s+x)
//   P(alive)        the first bracketed term's share of the bracket
//   E[Y(t)]         (r+x)(β+T)/((α+T)(s−1))·[1 − ((β+T)/(β+T+t))^(s−1)]·P(alive), at s = 1 its limit
//                   (r+x)(β+T)/(α+T)·log(1 + t/(β+T))·P(alive)
//   E[X(t)]         rβ/(α(s−1))·[1 − (β/(β+t))^(s−1)]
// then rounded to the nearest double.

/** Fader & Hardie's CDNOW estimates (time in weeks). */
const cdnow: ParetoNbdParameters = { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 };
/** The parameters the recovery test simulates from (time in days). */
const daily: ParetoNbdParameters = { r: 0.5, alpha: 20, s: 0.8, beta: 200 };
/** β a thousand times α: the ₂F₁ argument (β−α)/(β+tₓ) is 0.999 for a one-time buyer. */
const alphaFarBelowBeta: ParetoNbdParameters = { r: 0.5, alpha: 0.5, s: 0.6, beta: 500 };
/** α a thousand times β: the argument (α−β)/(α+tₓ) is 0.999 for a one-time buyer. */
const alphaFarAboveBeta: ParetoNbdParameters = { r: 0.5, alpha: 500, s: 0.6, beta: 0.5 };
/** Whole r and s: the removable singularity s = 1 of E[Y(t)], and whole c − a − 1 in the ₂F₁. */
const wholeNumbered: ParetoNbdParameters = { r: 1, alpha: 20, s: 1, beta: 300 };

const history = (repeatPurchases: number, recencyDays: number, ageDays: number): PurchaseHistory => ({
  repeatPurchases,
  recencyDays,
  ageDays,
});

const noRepeat = history(0, 0, 38.86);
const twoRepeats = history(2, 30.43, 38.86);
const sevenRepeats = history(7, 35.71, 38.86);
const oneEarlyRepeat = history(1, 0.5, 365);
const heavyButLapsed = history(150, 300, 365);
const silentForDecades = history(0, 0, 10_000);
const heavyLapsedForYears = history(500, 9000, 10_000);
const heavyAndRecent = history(500, 9999, 10_000);
const justBought = history(3, 100, 100.5);

describe("Pareto/NBD log-likelihood of one customer (FH 2005)", () => {
  it.each([
    // [parameters, customer, log-likelihood, P(alive)]
    [cdnow, noRepeat, -0.5211291959732854, 0.29496148643704223],
    [cdnow, twoRepeats, -9.554510694614422, 0.8691106439681371],
    [cdnow, sevenRepeats, -21.832668765900433, 0.9508995905428117],
    [cdnow, oneEarlyRepeat, -4.3631494556277, 0.0019521019546759285],
    [cdnow, heavyButLapsed, -267.8432868736887, 8.385014999045401e-11],
    [daily, noRepeat, -0.5031232375956176, 0.8364072120103785],
    [daily, twoRepeats, -9.084888916311918, 0.9657217129263201],
    [daily, sevenRepeats, -22.232780417981285, 0.986970218067043],
    [daily, oneEarlyRepeat, -6.110169852273592, 0.058088772127349864],
    [daily, heavyButLapsed, -271.11030782074965, 2.1851540142568737e-10],
    [alphaFarBelowBeta, silentForDecades, -3.3475796242597227, 0.032357721055231374],
    [alphaFarBelowBeta, heavyLapsedForYears, -1958.3143957728244, 1.0439060545808462e-20],
    [alphaFarBelowBeta, heavyAndRecent, -2004.3230695335508, 0.9999414019403899],
    [alphaFarBelowBeta, justBought, -15.980275311753317, 0.9994959731568305],
    [alphaFarAboveBeta, silentForDecades, -0.017534803576234225, 0.0005832766557205824],
    [alphaFarAboveBeta, heavyLapsedForYears, -1985.8979248211501, 1.3072546271137492e-19],
    [alphaFarAboveBeta, heavyAndRecent, -2029.379050901343, 0.9999385488522116],
    [alphaFarAboveBeta, justBought, -21.83823513799853, 0.9970224246679537],
    [wholeNumbered, silentForDecades, -1.9962075973758524, 0.0004279452875972254],
    [wholeNumbered, heavyLapsedForYears, -1958.063853071815, 6.213276445446692e-21],
    [wholeNumbered, heavyAndRecent, -2004.5913520995166, 0.9999004445544007],
    [wholeNumbered, justBought, -14.666778904496514, 0.9987411367374822],
  ])("and P(alive) match the closed forms for %o and %o", (parameters, customer, logLikelihood, alive) => {
    expectRelativelyClose(paretoNbdCustomerLogLikelihood(parameters, customer), logLikelihood, 1e-12);
    expectRelativelyClose(paretoNbdProbabilityAlive(parameters, customer), alive, 1e-11);
  });

  it("sums over a population", () => {
    expectRelativelyClose(
      paretoNbdLogLikelihood(cdnow, [noRepeat, twoRepeats, sevenRepeats, twoRepeats]),
      -0.5211291959732854 - 2 * 9.554510694614422 - 21.832668765900433,
      1e-13,
    );
  });

  it("stays finite for any customer up to 500 repeat purchases over 10,000 days, α from 1/1000 to 1000 times β", () => {
    fc.assert(
      fc.property(
        arbitraryParameters,
        fc.double({ min: -3, max: 3, noNaN: true }),
        arbitraryHistory,
        (parameters, log10Ratio, customer) => {
          const skewed = { ...parameters, alpha: parameters.beta * 10 ** log10Ratio };
          expect(Number.isFinite(paretoNbdCustomerLogLikelihood(skewed, customer))).toBe(true);
        },
      ),
    );
  });
});

describe("Pareto/NBD P(alive)", () => {
  // The BTYD walkthrough (R package BTYD, vignette, section "Individual Level Estimations"; its
  // numbers as the lifetimes tests quote them): customer 1516 of CDNOW, x = 26, tₓ = 30.86,
  // T = 31, is alive with probability 0.9979. The walkthrough prints four digits, and its
  // estimates to four decimals: the printed figures agree to that.
  it("matches the BTYD walkthrough's four printed digits for CDNOW's customer 1516", () => {
    expect(paretoNbdProbabilityAlive(cdnow, history(26, 30.86, 31))).toBeCloseTo(0.9979, 4);
  });

  it("is near zero for a one-time buyer silent for ten years", () => {
    const cdnowInDays = { ...cdnow, alpha: cdnow.alpha * 7, beta: cdnow.beta * 7 };

    expect(paretoNbdProbabilityAlive(daily, history(0, 0, 3650))).toBeLessThan(0.05);
    expect(paretoNbdProbabilityAlive(cdnowInDays, history(0, 0, 3650))).toBeLessThan(0.05);
  });

  it("is 1 right after a purchase: there was no time to drop out unseen", () => {
    expect(paretoNbdProbabilityAlive(daily, history(4, 120, 120))).toBe(1);
    expect(paretoNbdProbabilityAlive(daily, history(0, 0, 0))).toBe(1);
  });

  it("falls with every silent day, for one-time and repeat buyers alike", () => {
    for (const { repeatPurchases, recencyDays } of [history(0, 0, 0), history(3, 100, 100)]) {
      const byAge = [100, 200, 400, 800, 1600].map((ageDays) =>
        paretoNbdProbabilityAlive(daily, history(repeatPurchases, recencyDays, ageDays)),
      );
      byAge.slice(1).forEach((later, index) => {
        expect(later).toBeLessThan(byAge[index] ?? 0);
      });
    }
  });

  it("lies in [0, 1] and never rises the longer any customer stays silent", () => {
    fc.assert(
      fc.property(
        arbitraryParameters,
        arbitraryHistory,
        fc.double({ min: 1, max: 1000, noNaN: true }),
        (parameters, customer, moreDays) => {
          const now = paretoNbdProbabilityAlive(parameters, customer);
          const later = paretoNbdProbabilityAlive(parameters, {
            ...customer,
            ageDays: customer.ageDays + moreDays,
          });
          expect(now).toBeGreaterThanOrEqual(0);
          expect(now).toBeLessThanOrEqual(1);
          expect(later).toBeLessThanOrEqual(now);
        },
      ),
    );
  });
});

describe("Pareto/NBD expected purchases in the next t days (SMC 1987 eq. 22)", () => {
  // lifetimes, tests/test_estimation.py, TestParetoNBDFitter.test_conditional_expectation_underflow:
  // at r = 0.55, α = 10.58, s = 0.61, β = 11.67, a customer with frequency 132 (133), recency 200
  // and T = 200 is expected to make 6.2060517889632418 (6.2528722475748113) purchases in t = 10.
  it.each([
    [history(132, 200, 200), 6.2060517889632418],
    [history(133, 200, 200), 6.2528722475748113],
  ])("matches the lifetimes package's tests for %o", (customer, expected) => {
    const lifetimes = { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 };

    expectRelativelyClose(paretoNbdExpectedPurchases(lifetimes, customer, 10), expected, 1e-6);
  });

  // The BTYD walkthrough, as above: customer 1516 is expected to make 25.46 purchases in 52 weeks.
  it("matches the BTYD walkthrough's four printed digits for CDNOW's customer 1516", () => {
    expectRelativelyClose(paretoNbdExpectedPurchases(cdnow, history(26, 30.86, 31), 52), 25.46, 5e-4);
  });

  it.each([
    [cdnow, noRepeat, 39, 0.10702894636167583],
    [cdnow, twoRepeats, 39, 1.4550928438442547],
    [daily, history(3, 20, 21), 36_500, 167.30702836551268],
    [daily, history(150, 364, 365), 30, 11.46594662306913],
    [daily, heavyButLapsed, 3650, 1.193728245663575e-7],
    [wholeNumbered, history(3, 100, 120), 365, 7.02111992888534], // s = 1: the limit
    [alphaFarBelowBeta, heavyLapsedForYears, 365, 1.8874122531004668e-19],
  ])("matches the closed form for %o, %o over %d days", (parameters, customer, days, expected) => {
    expectRelativelyClose(paretoNbdExpectedPurchases(parameters, customer, days), expected, 1e-11);
  });

  it("is continuous through s = 1, where the printed form is 0/0", () => {
    const atOne = paretoNbdExpectedPurchases(wholeNumbered, justBought, 365);
    for (const s of [1 - 1e-9, 1 + 1e-9, 1 - 1e-14, 1 + 1e-14]) {
      expectRelativelyClose(
        paretoNbdExpectedPurchases({ ...wholeNumbered, s }, justBought, 365),
        atOne,
        1e-8,
      );
    }
  });

  it.each([
    [cdnow, 39, 1.2131177118615133],
    [cdnow, 78, 1.90936599693151],
    [daily, 365, 5.771148002542428],
    [daily, 36_500, 45.90342631316654],
    [wholeNumbered, 365, 11.940068489994797], // s = 1: rβ/α · log(1 + t/β)
  ])(
    "for a new customer matches rβ/(α(s−1))·[1 − (β/(β+t))^(s−1)] for %o over %d days",
    (parameters, days, expected) => {
      expectRelativelyClose(paretoNbdExpectedPurchasesNewCustomer(parameters, days), expected, 1e-12);
    },
  );

  it("is finite, non-negative and grows with t, for any history", () => {
    fc.assert(
      fc.property(
        arbitraryParameters,
        arbitraryHistory,
        fc.double({ min: 1, max: 36_500, noNaN: true }),
        fc.double({ min: 1.01, max: 100, noNaN: true }),
        (parameters, customer, days, factor) => {
          const sooner = paretoNbdExpectedPurchases(parameters, customer, days);
          const later = paretoNbdExpectedPurchases(parameters, customer, days * factor);
          expect(Number.isFinite(later)).toBe(true);
          expect(sooner).toBeGreaterThanOrEqual(0);
          expect(later).toBeGreaterThanOrEqual(sooner);
        },
      ),
    );
  });
});

describe("fitting Pareto/NBD", () => {
  it("refuses an empty population, or one where nobody bought twice", () => {
    expect(() => fitParetoNbd([])).toThrow(expect.objectContaining({ reason: "no-customers" }));
    expect(() => fitParetoNbd([noRepeat, history(0, 0, 10)])).toThrow(
      expect.objectContaining({ reason: "no-repeat-purchases" }),
    );
  });
});

// Parameters from sparse, short-lived buyers to frequent, loyal ones.
const arbitraryParameters = fc.record({
  r: fc.double({ min: 0.05, max: 5, noNaN: true }),
  alpha: fc.double({ min: 0.5, max: 500, noNaN: true }),
  s: fc.double({ min: 0.05, max: 5, noNaN: true }),
  beta: fc.double({ min: 0.5, max: 500, noNaN: true }),
});

const arbitraryHistory = fc.oneof(
  fc.double({ min: 0, max: 10_000, noNaN: true }).map((ageDays) => history(0, 0, ageDays)),
  fc
    .record({
      repeatPurchases: fc.integer({ min: 1, max: 500 }),
      ageDays: fc.double({ min: 1, max: 10_000, noNaN: true }),
      recencyShare: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ repeatPurchases, ageDays, recencyShare }) =>
      history(repeatPurchases, recencyShare * ageDays, ageDays),
    ),
);
