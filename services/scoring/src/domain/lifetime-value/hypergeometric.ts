import hyp2f1 from "@stdlib/math-base-special-hyp2f1";

/** Past this many terms the plain series is not worth summing (z too close to 1 for it). */
const maxSeriesTerms = 100_000;

/**
 * (1 − z)^a · ₂F₁(a, b; c; z) for 0 ≤ z < 1: the shape in which ₂F₁ enters the BG/NBD
 * expectations (FHL 2005, eqs. 9 and 10, with a = r + x, b = b + x and c = a + b + x − 1).
 *
 * As z → 1, ₂F₁(a, b; c; z) grows like (1 − z)^(c−a−b) when c − a − b < 0: for a heavy buyer or
 * a long horizon it passes 1e308 while (1 − z)^a underflows, and their product, which is of
 * modest size, comes out as ∞ · 0. Pfaff's transformation (A&S 15.3.4) does not help: it gives
 * the product as ₂F₁(a, c − b; c; z/(z − 1)), whose argument is then large and negative, where
 * stdlib goes through A&S 15.3.7, whose Γ terms overflow just the same. Euler's transformation
 * (A&S 15.3.3), ₂F₁(a, b; c; z) = (1 − z)^(c−a−b) ₂F₁(c − a, c − b; c; z), keeps z in [0, 1)
 * and folds the powers into one:
 *
 *   (1 − z)^a ₂F₁(a, b; c; z) = (1 − z)^(c−b) ₂F₁(c − a, c − b; c; z)
 *
 * whose ₂F₁ has the exponent a + b − c > 0 and so stays finite as z → 1. When c − a − b ≥ 0 it is
 * the other way round (the direct ₂F₁ stays finite, the transformed one would not; in BG/NBD when
 * a − 1 ≥ r + x), so the direct form is used.
 */
export function powerScaledHyp2f1(a: number, b: number, c: number, z: number): number {
  const logComplement = Math.log1p(-z);
  if (c - a - b >= 0) return Math.exp(a * logComplement) * gaussHypergeometric(a, b, c, z);
  return Math.exp((c - b) * logComplement) * gaussHypergeometric(c - a, c - b, c, z);
}

/**
 * ₂F₁(a, b; c; z) for 0 ≤ z < 1 by stdlib (a port of Cephes), except where that overflows. For
 * z > 0.9 stdlib turns to A&S 15.3.6, or 15.3.10–12 when c − a − b is a whole number; both
 * multiply by Γ(c) (the latter by Γ(c − a − b) as well), so for a heavy buyer or b in the
 * hundreds the answer is ∞ or NaN. The plain Gauss series needs no Γ and converges there, if
 * slowly as z nears 1; it gives up (NaN) after maxSeriesTerms, typically beyond z ≈ 0.9996, that
 * is for horizons past ~2,500 times α + T. (Near there, from z ≈ 0.999 with c over ~100, stdlib's
 * own answers keep only about six digits.)
 */
function gaussHypergeometric(a: number, b: number, c: number, z: number): number {
  const value = hyp2f1(a, b, c, z);
  return Number.isFinite(value) ? value : gaussSeries(a, b, c, z);
}

/** Σₙ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ, summed until a term no longer changes the sum; NaN if it never settles. */
function gaussSeries(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < maxSeriesTerms; n += 1) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
    if (Math.abs(term) <= Number.EPSILON * Math.abs(sum)) return sum;
  }
  return Number.NaN;
}

/**
 * Past this many steps the continued fraction is not followed: 1 − z below ~2.6e-4. A Pareto/NBD
 * fit can drift along a ridge towards equal drop-out rates for everyone (s and β without bound, s/β
 * fixed), where every ₂F₁ argument nears 1 and a likelihood costs ~8/√(1 − z) steps per customer
 * (minutes per fit on a few thousand customers). There the likelihood is NaN, which the fit treats
 * as +∞: it stops where β is at most ~4,000 times min(α, β) + tₓ, and the likelihood, flat along
 * that ridge, is all but the same there.
 */
const maxFractionSteps = 500;
/** Stands in for a zero denominator of the continued fraction (modified Lentz, NR §5.2). */
const tinyDenominator = 1e-300;

/**
 * ₂F₁(a, 1; c; z) for a > 0, c > 0 and 0 ≤ z < 1, by Gauss's continued fraction (DLMF 15.7.5 with
 * b = 0), in the form Numerical Recipes (§6.4, betacf) gives it for the incomplete beta function
 * B_z(c − 1, a − c + 1) = z^(c−1) (1 − z)^(a−c+1) ₂F₁(a, 1; c; z) / (c − 1) (DLMF 8.17.8):
 *
 *   ₂F₁(a, 1; c; z) = 1/(1 + d₁/(1 + d₂/(1 + …))),
 *   d₂ₘ₊₁ = −(c−1+m)(a+m) z / ((c−1+2m)(c+2m)),  d₂ₘ = m(a−c+1−m) z / ((c−2+2m)(c−1+2m)),
 *
 * evaluated forwards by the modified Lentz method. The power series needs ~37/(1 − z) terms for
 * full precision; the fraction converges in about 8/√(1 − z) steps (10 at z = 1/2, 90 at 0.99,
 * 250 at 0.999). Nor does it need Γ functions, so unlike the connection
 * formulas around z = 1 (A&S 15.3.6, 15.3.11) it has no poles where c − a − 1 is a whole number.
 * Relative error: ~1e-15 for z ≤ 0.99, ~1e-13 at 1 − z = 1e-3, and, as z → 1 with c − a − 1 < 0
 * (then the value grows like (1 − z)^(c−a−1)), about 1e-16 times the value. NaN if it does not
 * settle within maxFractionSteps.
 */
export function hyp2f1WithUnitB(a: number, c: number, z: number): number {
  let numerator = 1;
  let denominator = nonZero(1 - (a * z) / c);
  denominator = 1 / denominator;
  let value = denominator;
  for (let m = 1; m <= maxFractionSteps; m += 1) {
    const even = (m * (a - c + 1 - m) * z) / ((c - 2 + 2 * m) * (c - 1 + 2 * m));
    denominator = 1 / nonZero(1 + even * denominator);
    numerator = nonZero(1 + even / numerator);
    value *= denominator * numerator;
    const odd = (-(c - 1 + m) * (a + m) * z) / ((c - 1 + 2 * m) * (c + 2 * m));
    denominator = 1 / nonZero(1 + odd * denominator);
    numerator = nonZero(1 + odd / numerator);
    const step = denominator * numerator;
    value *= step;
    if (Math.abs(step - 1) <= Number.EPSILON) return value;
  }
  return Number.NaN;
}

function nonZero(x: number): number {
  return Math.abs(x) < tinyDenominator ? tinyDenominator : x;
}
