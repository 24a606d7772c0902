import hyp2f1 from "@stdlib/math-base-special-hyp2f1";
import { describe, expect, it } from "vitest";
import { hyp2f1WithUnitB, powerScaledHyp2f1 } from "../../src/domain/lifetime-value/hypergeometric.js";
import { expectRelativelyClose } from "./relative-error.js";

// Reference values: Python, mpmath at 50 significant digits, (1 − z)**a * mpmath.hyp2f1(a, b, c, z)
// and, for negative arguments w, mpmath.hyp2f1(a, c − b, c, w); rounded to the nearest double.
// The parameters are BG/NBD's (a = r + x, b = b + x, c = a + b + x − 1) for r = 0.25, a = 0.8,
// b = 2.5 and x = 0, 2, 150, except where c − a − b ≥ 0 is wanted (r = 0.5, a = 5, b = 3, x = 2).

describe("(1 − z)^a · ₂F₁(a, b; c; z)", () => {
  it.each([
    [2.25, 4.5, 4.3, 0.1, 1.0113245063140408], // small z: any form would do
    [0.25, 2.5, 2.3, 0.5, 1.019181712122077],
    [150.25, 152.5, 152.3, 0.99, 2.5051383307661297], // ₂F₁ ≈ 1e300 times (1 − z)^a ≈ 1e-300
    [2.5, 5, 9, 0.999, 6.404938591965763e-7], // c − a − b = 1.5 ≥ 0: the direct ₂F₁ is the finite one
  ])("matches mpmath for a = %d, b = %d, c = %d, z = %d", (a, b, c, z, expected) => {
    expectRelativelyClose(powerScaledHyp2f1(a, b, c, z), expected, 1e-12);
  });

  it("is finite for a heavy buyer near z = 1, where both stdlib routes to it overflow", () => {
    const direct = hyp2f1(150.25, 152.5, 152.3, 0.9999) * 0.0001 ** 150.25;
    const pfaff = hyp2f1(150.25, 152.3 - 152.5, 152.3, 0.9999 / (0.9999 - 1));

    expect(Number.isFinite(direct)).toBe(false);
    expect(Number.isFinite(pfaff)).toBe(false);
    expect(Number.isFinite(powerScaledHyp2f1(150.25, 152.5, 152.3, 0.9999))).toBe(true);
  });

  // By Pfaff (A&S 15.3.4) the same product is ₂F₁(a, c − b; c; w) with w = z/(z − 1) = −t/(α + T):
  // large and negative for a young customer over a long horizon. Evaluating it there is the other
  // way to reach these values, and where stdlib's own route (A&S 15.3.7) overflows for heavy buyers.
  it.each([
    [0.25, 2.5, 2.3, -7300, 2.8986832715285242], // a day-old customer over a century
    [3.25, 5.5, 5.3, -1460, 3.856426252803812],
    [150.25, 152.5, 152.3, -1e5, 9.972881974046084], // a heavy buyer
  ])("gives ₂F₁(a, c − b; c; w) for a = %d, b = %d, c = %d at w = %d", (a, b, c, w, expected) => {
    expectRelativelyClose(powerScaledHyp2f1(a, b, c, w / (w - 1)), expected, 1e-10);
  });
});

// Reference values: Python, mpmath at 40 significant digits, mpmath.hyp2f1(a, 1, c, z) with z the
// double given here; rounded to the nearest double. The parameters are Pareto/NBD's, a = r+x or
// s+1 and c = r+s+x+1 (see pareto-nbd.ts), but for the whole-numbered c − a − 1 = 1.
describe("₂F₁(a, 1; c; z) by Gauss's continued fraction", () => {
  it.each([
    [0.5, 1.7, 0, 1],
    [0.5, 1.7, 0.3, 1.1067979108119024],
    [2.5, 4.16, 0.9, 2.718546383097079],
    [132.55, 134.16, 0.5, 1.976450390095171], // a heavy buyer
    [2, 4, 0.99, 2.8067531645819632], // c − a − 1 whole: a pole of each term of A&S 15.3.6
    [1.6, 1.9, 0.999, 174.7693835561041], // c − a − 1 < 0: grows like (1 − z)^(c−a−1)
    [1.61, 501.2, 0.9999, 1.0032287814749485],
  ])("matches mpmath for a = %d, c = %d, z = %d", (a, c, z, expected) => {
    expectRelativelyClose(hyp2f1WithUnitB(a, c, z), expected, 1e-13);
  });

  // mpmath.hyp2f1(500.5, 1, 501.6, 0.999) at 50 digits.
  it("keeps ~13 digits with z a thousandth from 1", () => {
    expectRelativelyClose(hyp2f1WithUnitB(500.5, 501.6, 0.999), 433.9373254958089, 1e-12);
  });

  it("gives up (NaN) rather than take thousands of steps with z a ten-thousandth from 1", () => {
    expect(hyp2f1WithUnitB(500.5, 501.6, 0.9999)).toBeNaN();
  });

  it("agrees with stdlib's ₂F₁ where that one is accurate", () => {
    for (const [a, c, z] of [
      [0.7, 2.3, 0.2],
      [3.5, 4.9, 0.6],
      [12, 14.5, 0.75],
    ] as const) {
      expectRelativelyClose(hyp2f1WithUnitB(a, c, z), hyp2f1(a, 1, c, z), 1e-13);
    }
  });

  it("is NaN, not a wrong number, when z is too close to 1 for the fraction to settle", () => {
    expect(hyp2f1WithUnitB(1.6, 1.9, 1 - 1e-12)).toBeNaN();
  });
});
