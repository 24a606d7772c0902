import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  fitMbgNbd,
  type MbgNbdParameters,
  mbgNbdCustomerLogLikelihood,
  mbgNbdExpectedPurchases,
  mbgNbdExpectedPurchasesNewCustomer,
  mbgNbdLogLikelihood,
  mbgNbdProbabilityAlive,
  type PurchaseHistory,
} from "../../src/domain/lifetime-value/index.js";
import { expectRelativelyClose } from "./relative-error.js";

// Reference values, unless a test names a published source: computed independently in Python with
// mpmath at 50 significant digits, from BDF 2007's closed forms exactly as printed, without logs
// or transformations:
//   log-likelihood  log(B(a,b+x+1)/B(a,b)·Γ(r+x)αʳ/(Γ(r)(α+T)^(r+x))
//                     + B(a+1,b+x)/B(a,b)·Γ(r+x)αʳ/(Γ(r)(α+tₓ)^(r+x)))   (mpmath.beta, mpmath.gamma)
//   P(alive)        1/(1 + a/(b+x)·((α+T)/(α+tₓ))^(r+x))
//   E[Y(t)]         (a+b+x)/(a−1)·[1 − ((α+T)/(α+T+t))^(r+x)·mpmath.hyp2f1(r+x, b+x+1, a+b+x, t/(α+T+t))]·P(alive)
//   E[X(t)]         b/(a−1)·[1 − (α/(α+t))^r·mpmath.hyp2f1(r, b+1, a+b, t/(α+t))]
// then rounded to the nearest double.

/** CDNOW estimates (time in weeks) as BTYDplus reports them and the lifetimes tests check them. */
const cdnow: MbgNbdParameters = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };
/** The parameters the recovery test simulates from (time in days), BG/NBD's there. */
const daily: MbgNbdParameters = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
/** Even buyers (r > 1) about every 50 days, who drop out after ~3 purchases on average. */
const regular: MbgNbdParameters = { r: 1.2, alpha: 60, a: 1.5, b: 3 };

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

describe("MBG/NBD log-likelihood of one customer (BDF 2007)", () => {
  // pymc-marketing, tests/clv/models/test_modified_beta_geo.py, test_numerically_stable_logp:
  // logp at a = 0.8, b = 2.5, r = 0.25, α = 4 of (frequency, recency) = (0, 0) and (200, 38) with
  // T = 40 is −0.41792826 and 100.7869. btyd, tests/test_mod_beta_geo_model.py,
  // test_log_likelihood: 91.808242 at r = 0.53, α = 6.18, a = 0.89, b = 1.614 for (200, 38, 40).
  it.each([
    [daily, history(0, 0, 40), -0.41792826],
    [daily, history(200, 38, 40), 100.7869],
    [{ r: 0.53, alpha: 6.18, a: 0.89, b: 1.614 }, history(200, 38, 40), 91.808242],
  ])("matches the value published in a package's tests for %o and %o", (parameters, customer, expected) => {
    expectRelativelyClose(mbgNbdCustomerLogLikelihood(parameters, customer), expected, 1e-6);
  });

  it.each([
    [cdnow, noRepeat, -0.5398374635310146],
    [cdnow, twoRepeats, -9.485551314533932],
    [cdnow, sevenRepeats, -22.08594397323738],
    [cdnow, oneEarlyRepeat, -4.387534349419174],
    [cdnow, heavyButLapsed, -267.77909981552955],
    [daily, noRepeat, -0.41377694513403723],
    [daily, twoRepeats, -9.663639393221462],
    [daily, sevenRepeats, -22.168781576412098],
    [daily, oneEarlyRepeat, -4.861633089926511],
    [daily, heavyButLapsed, -267.237689099197],
  ])("matches the closed form for %o and %o", (parameters, customer, expected) => {
    expectRelativelyClose(mbgNbdCustomerLogLikelihood(parameters, customer), expected, 1e-13);
  });

  it("sums over a population", () => {
    expectRelativelyClose(
      mbgNbdLogLikelihood(cdnow, [noRepeat, twoRepeats, sevenRepeats, twoRepeats]),
      -0.5398374635310146 - 2 * 9.485551314533932 - 22.08594397323738,
      1e-13,
    );
  });

  it("stays finite for heavy buyers observed for decades", () => {
    for (const customer of [history(500, 9999, 10_000), history(500, 10, 10_000), history(0, 0, 10_000)]) {
      expect(Number.isFinite(mbgNbdCustomerLogLikelihood(daily, customer))).toBe(true);
    }
  });
});

describe("MBG/NBD P(alive)", () => {
  it.each([
    [cdnow, noRepeat, 0.3897350809187629],
    [cdnow, twoRepeats, 0.7062022651184873],
    [cdnow, heavyButLapsed, 4.4250419571927066e-11],
    [daily, noRepeat, 0.6333285540914214],
    [daily, twoRepeats, 0.7745959282566987],
  ])("matches the closed form for %o and %o", (parameters, customer, expected) => {
    expectRelativelyClose(mbgNbdProbabilityAlive(parameters, customer), expected, 1e-13);
  });

  it("is below 1 without a repeat purchase: one may drop out right after the first", () => {
    expect(mbgNbdProbabilityAlive(daily, history(0, 0, 0))).toBeCloseTo(2.5 / 3.3, 15);
  });

  it("is near zero for a one-time buyer silent for ten years", () => {
    expectRelativelyClose(mbgNbdProbabilityAlive(regular, history(0, 0, 3650)), 0.013978138794052871, 1e-13);
  });

  it("falls only like T^−r for a one-time buyer, so uneven buyers stay possibly alive for long", () => {
    // CDNOW's estimates in days (r = 0.525): ten silent years leave a one-time buyer 15 % alive.
    const cdnowInDays = { ...cdnow, alpha: cdnow.alpha * 7 };

    expectRelativelyClose(
      mbgNbdProbabilityAlive(cdnowInDays, history(0, 0, 3650)),
      0.1492728164967307,
      1e-13,
    );
  });

  it("falls with every silent day, for one-time and repeat buyers alike", () => {
    for (const { repeatPurchases, recencyDays } of [history(0, 0, 0), history(3, 100, 100)]) {
      const byAge = [100, 200, 400, 800, 1600].map((ageDays) =>
        mbgNbdProbabilityAlive(regular, history(repeatPurchases, recencyDays, ageDays)),
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
          const now = mbgNbdProbabilityAlive(parameters, customer);
          const later = mbgNbdProbabilityAlive(parameters, {
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

describe("MBG/NBD expected purchases in the next t days", () => {
  it.each([
    // [parameters, customer, t, expected]; z = t/(α+T+t)
    [cdnow, noRepeat, 39, 0.1540127466751467],
    [cdnow, twoRepeats, 39, 1.2629606232673658],
    [cdnow, twoRepeats, 0.5, 0.019731606439153317],
    [daily, history(0, 0, 1), 36_500, 20.737170232324303], // z = 0.99986
    [daily, history(3, 20, 21), 36_500, 73.37901339209463], // z = 0.99932
    [daily, history(150, 364, 365), 30, 11.751014161461104], // heavy buyer: ₂F₁ ≈ 1e5
    [daily, history(150, 364, 365), 36_500, 1141.8680480331511], // ₂F₁ ≈ 1e300
    [daily, history(600, 364, 365), 1_000_000, 11550.322475271721], // ₂F₁ overflows as printed
    [daily, heavyButLapsed, 3650, 2.011105395561819e-8], // almost surely gone
    [regular, history(5, 200, 365), 365, 0.758463237380122], // c − a − b = a − r − x − 1 < 0
  ])("matches the closed form for %o, %o over %d days", (parameters, customer, days, expected) => {
    expectRelativelyClose(mbgNbdExpectedPurchases(parameters, customer, days), expected, 1e-11);
  });

  it.each([
    [cdnow, 39, 1.1829536655971726],
    [cdnow, 78, 1.8047575775531417],
    [daily, 365, 4.0853676632725175],
    [daily, 36_500, 22.449776654076892],
  ])(
    "for a new customer matches b/(a−1)·[1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))] for %o over %d days",
    (parameters, days, expected) => {
      expectRelativelyClose(mbgNbdExpectedPurchasesNewCustomer(parameters, days), expected, 1e-12);
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
          const sooner = mbgNbdExpectedPurchases(parameters, customer, days);
          const later = mbgNbdExpectedPurchases(parameters, customer, days * factor);
          expect(Number.isFinite(later)).toBe(true);
          expect(sooner).toBeGreaterThanOrEqual(0);
          expect(later).toBeGreaterThanOrEqual(sooner);
        },
      ),
    );
  });
});

describe("fitting MBG/NBD", () => {
  it("refuses an empty population, or one where nobody bought twice", () => {
    expect(() => fitMbgNbd([])).toThrow(expect.objectContaining({ reason: "no-customers" }));
    expect(() => fitMbgNbd([noRepeat, history(0, 0, 10)])).toThrow(
      expect.objectContaining({ reason: "no-repeat-purchases" }),
    );
  });
});

// Parameters from sparse, short-lived buyers to frequent, loyal ones, away from the removable
// singularity of E[Y(t)] at a = 1 (see mbgNbdExpectedPurchases).
const arbitraryParameters = fc.record({
  r: fc.double({ min: 0.05, max: 5, noNaN: true }),
  alpha: fc.double({ min: 0.5, max: 100, noNaN: true }),
  a: fc.oneof(
    fc.double({ min: 0.05, max: 0.95, noNaN: true }),
    fc.double({ min: 1.05, max: 10, noNaN: true }),
  ),
  b: fc.double({ min: 0.05, max: 20, noNaN: true }),
});

const arbitraryHistory = fc.oneof(
  fc.double({ min: 0, max: 3650, noNaN: true }).map((ageDays) => history(0, 0, ageDays)),
  fc
    .record({
      repeatPurchases: fc.integer({ min: 1, max: 500 }),
      ageDays: fc.double({ min: 1, max: 3650, noNaN: true }),
      recencyShare: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ repeatPurchases, ageDays, recencyShare }) =>
      history(repeatPurchases, recencyShare * ageDays, ageDays),
    ),
);
