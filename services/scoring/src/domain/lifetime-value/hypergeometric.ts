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
