import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BgNbdParameters,
  bgNbdCustomerLogLikelihood,
  bgNbdLogLikelihood,
  expectedPurchases,
  expectedPurchasesNewCustomer,
  fitBgNbd,
  LifetimeValueFitError,
  type PurchaseHistory,
  probabilityAlive,
} from "../../src/domain/lifetime-value/index.js";
import { expectRelativelyClose } from "./relative-error.js";

// Reference values: computed independently in Python with mpmath at 50 significant digits, from
// the closed forms exactly as printed, without logs or transformations:
//   log-likelihood  FHL 2005 eq. (6): log(B(a,b+x)/B(a,b)·Γ(r+x)αʳ/(Γ(r)(α+T)^(r+x))
//                     + [x>0]·B(a+1,b+x−1)/B(a,b)·Γ(r+x)αʳ/(Γ(r)(α+tₓ)^(r+x)))   (mpmath.beta, mpmath.gamma)
//   P(alive)        1/(1 + [x>0]·a/(b+x−1)·((α+T)/(α+tₓ))^(r+x))
//   E[Y(t)]         FHL 2005 eq. (10) with mpmath.hyp2f1(r+x, b+x, a+b+x−1, t/(α+T+t))
//   E[X(t)]         FHL 2005 eq. (9)  with mpmath.hyp2f1(r, b, a+b−1, t/(α+t))
// then rounded to the nearest double.

/** The paper's CDNOW estimates (time in weeks). */
const cdnow: BgNbdParameters = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
/** The parameters the recovery test simulates from (time in days). */
const daily: BgNbdParameters = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
/** c − a − b = x + r + 1 − a is a whole number here, which sends stdlib's ₂F₁ down its ψ-expansion. */
const wholeNumbered: BgNbdParameters = { r: 1, alpha: 2, a: 2, b: 1 };
/** Hardly anyone drops out (mean p = 0.003): c = a + b + x − 1 is past 171.6, where Γ(c) overflows. */
const loyal: BgNbdParameters = { r: 0.25, alpha: 4, a: 0.8, b: 300 };

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

describe("BG/NBD log-likelihood of one customer (FHL 2005 eq. 6)", () => {
  // pymc-marketing, tests/clv/models/test_beta_geo.py, test_numerically_stable_logp: logp at
  // a = 0.8, b = 2.5, r = 0.25, α = 4 of (frequency, recency) = (0, 0) and (200, 38) with T = 40
  // is −0.59947382 and 100.7957.
  it.each([
    [history(0, 0, 40), -0.59947382],
    [history(200, 38, 40), 100.7957],
  ])("matches the value published in pymc-marketing's tests for %o", (customer, expected) => {
    expectRelativelyClose(bgNbdCustomerLogLikelihood(daily, customer), expected, 1e-6);
  });

  it.each([
    [cdnow, noRepeat, -0.5547132764381585],
    [cdnow, twoRepeats, -9.45860630706627],
    [cdnow, sevenRepeats, -22.156078001424437],
    [cdnow, oneEarlyRepeat, -4.419716343700849],
    [cdnow, heavyButLapsed, -267.4458683160645],
    [daily, noRepeat, -0.5929111572313851],
    [daily, twoRepeats, -9.437597616350775],
    [daily, sevenRepeats, -22.07301187637345],
    [daily, oneEarlyRepeat, -4.324298714492343],
    [daily, heavyButLapsed, -267.2258779382689],
  ])("matches the closed form for %o and %o", (parameters, customer, expected) => {
    expectRelativelyClose(bgNbdCustomerLogLikelihood(parameters, customer), expected, 1e-13);
  });

  it("sums over a population", () => {
    const customers = [noRepeat, twoRepeats, sevenRepeats, twoRepeats];

    expectRelativelyClose(
      bgNbdLogLikelihood(cdnow, customers),
      -0.5547132764381585 - 2 * 9.45860630706627 - 22.156078001424437,
      1e-13,
    );
  });
});

describe("P(alive)", () => {
  it.each([
    [cdnow, twoRepeats, 0.726578570080673],
    [cdnow, sevenRepeats, 0.8600671246886445],
    [cdnow, oneEarlyRepeat, 0.014044609699503198],
    [cdnow, heavyButLapsed, 4.499809715762907e-11],
    [daily, twoRepeats, 0.7277293138378392],
    [daily, heavyButLapsed, 4.2989962634681753e-11],
  ])("matches the closed form for %o and %o", (parameters, customer, expected) => {
    expectRelativelyClose(probabilityAlive(parameters, customer), expected, 1e-13);
  });

  it("is 1 without a repeat purchase: in BG/NBD one drops out only right after a repeat purchase", () => {
    expect(probabilityAlive(cdnow, noRepeat)).toBe(1);
    expect(probabilityAlive(daily, history(0, 0, 3650))).toBe(1);
  });

  it("lies in [0, 1] and falls the longer a repeat buyer stays silent", () => {
    fc.assert(
      fc.property(
        arbitraryParameters,
        arbitraryRepeatBuyer,
        fc.double({ min: 1, max: 1000, noNaN: true }),
        (parameters, customer, moreDays) => {
          const now = probabilityAlive(parameters, customer);
          const later = probabilityAlive(parameters, { ...customer, ageDays: customer.ageDays + moreDays });
          expect(now).toBeGreaterThanOrEqual(0);
          expect(now).toBeLessThanOrEqual(1);
          expect(later).toBeLessThanOrEqual(now);
        },
      ),
    );
  });
});

describe("expected purchases in the next t days (FHL 2005 eq. 10)", () => {
  it.each([
    // [parameters, customer, t, expected]; z = t/(α+T+t), and w = −t/(α+T) is the Pfaff form's argument
    [cdnow, noRepeat, 39, 0.19509805201126265], // x = 0, z = 0.474
    [cdnow, twoRepeats, 39, 1.2260281747671444], // the paper's worked example, z = 0.474
    [cdnow, twoRepeats, 0.5, 0.018776841843974004], // small z = 0.0114
    [daily, history(0, 0, 1), 36_500, 21.83485762257803], // a day-old customer, a century: z = 0.99986 (w = −7300)
    [daily, history(3, 20, 21), 36_500, 62.92210957533689], // z = 0.99932 (w = −1460)
    [daily, history(150, 364, 365), 30, 11.748109521467669], // heavy buyer, z = 0.075: ₂F₁ ≈ 1.3e5
    [daily, history(150, 364, 365), 36_500, 1136.8172967561359], // z = 0.990: ₂F₁ ≈ 7e300
    [daily, history(600, 364, 365), 1_000_000, 11535.868816807822], // z = 0.99963: ₂F₁ ≈ 3e2061, overflows
    [daily, heavyButLapsed, 3650, 1.9911448817457064e-8], // almost surely gone
    [wholeNumbered, history(100, 199, 200), 3650, 93.51308820351817], // stdlib's ₂F₁ NaN: plain series
    [wholeNumbered, history(3, 20, 30), 90, 0.8590606596250737], // whole c − a − b, small c: stdlib copes
    [loyal, history(0, 0, 0), 3650, 128.48717992526687], // c = 299.8, z = 0.9989: stdlib NaN, plain series
    [loyal, history(0, 0, 30), 365, 2.638064658206571], // c = 299.8, z = 0.915: stdlib copes
  ])("matches the closed form for %o, %o over %d days", (parameters, customer, days, expected) => {
    expectRelativelyClose(expectedPurchases(parameters, customer, days), expected, 1e-11);
  });

  it("is what a new customer would make (eq. 9) for someone with no history", () => {
    expectRelativelyClose(expectedPurchasesNewCustomer(cdnow, 39), 1.196723193320817, 1e-12);
    expectRelativelyClose(expectedPurchasesNewCustomer(cdnow, 78), 1.8605190579427684, 1e-12);
    expectRelativelyClose(expectedPurchasesNewCustomer(daily, 365), 4.557301095671248, 1e-12);
    expectRelativelyClose(expectedPurchasesNewCustomer(daily, 36_500), 23.269225296197945, 1e-12);
  });

  it("is finite, non-negative and grows with t, for any history", () => {
    fc.assert(
      fc.property(
        arbitraryParameters,
        arbitraryHistory,
        fc.double({ min: 1, max: 36_500, noNaN: true }),
        fc.double({ min: 1.01, max: 100, noNaN: true }),
        (parameters, customer, days, factor) => {
          const sooner = expectedPurchases(parameters, customer, days);
          const later = expectedPurchases(parameters, customer, days * factor);
          expect(Number.isFinite(later)).toBe(true);
          expect(sooner).toBeGreaterThanOrEqual(0);
          expect(later).toBeGreaterThanOrEqual(sooner);
        },
      ),
    );
  });
});

describe("fitting BG/NBD", () => {
  it("refuses an empty population, or one where nobody bought twice", () => {
    expect(() => fitBgNbd([])).toThrow(expect.objectContaining({ reason: "no-customers" }));
    expect(() => fitBgNbd([noRepeat, history(0, 0, 10)])).toThrow(LifetimeValueFitError);
    expect(() => fitBgNbd([noRepeat])).toThrow(expect.objectContaining({ reason: "no-repeat-purchases" }));
  });
});

// Parameters from sparse, short-lived buyers to frequent, loyal ones, away from the two removable
// singularities of eq. (10), a = 1 and a + b = 1 (see expectedPurchases).
const arbitraryParameters = fc
  .record({
    r: fc.double({ min: 0.05, max: 5, noNaN: true }),
    alpha: fc.double({ min: 0.5, max: 100, noNaN: true }),
    a: fc.oneof(
      fc.double({ min: 0.05, max: 0.95, noNaN: true }),
      fc.double({ min: 1.05, max: 10, noNaN: true }),
    ),
    b: fc.double({ min: 0.05, max: 20, noNaN: true }),
  })
  .filter(({ a, b }) => Math.abs(a + b - 1) > 1e-9);

const arbitraryRepeatBuyer = fc
  .record({
    repeatPurchases: fc.integer({ min: 1, max: 500 }),
    ageDays: fc.double({ min: 1, max: 3650, noNaN: true }),
    recencyShare: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ repeatPurchases, ageDays, recencyShare }) =>
    history(repeatPurchases, recencyShare * ageDays, ageDays),
  );

const arbitraryHistory = fc.oneof(
  fc.double({ min: 0, max: 3650, noNaN: true }).map((ageDays) => history(0, 0, ageDays)),
  arbitraryRepeatBuyer,
);
