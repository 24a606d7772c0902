import gammaln from "@stdlib/math-base-special-gammaln";
import type { PurchaseHistory, RepeatPurchaseGroup } from "./bg-nbd.js";
import { hyp2f1WithUnitB } from "./hypergeometric.js";
import { logSumExp } from "./log-sum-exp.js";

/**
 * The Pareto/NBD model of Schmittlein, Morrison & Colombo (1987), "Counting Your Customers: Who
 * Are They and What Will They Do Next?", Management Science 33(1) (SMC 1987), with the likelihood
 * as derived in Fader & Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related
 * Expressions" (brucehardie.com note 009, cited as FH 2005).
 *
 * While alive, a customer buys as a Poisson process with rate λ ~ Gamma(r, α); their lifetime
 * from the first purchase is exponential with rate μ ~ Gamma(s, β), unseen when it ends.
 */
export type ParetoNbdParameters = {
  /** Shape of the purchase-rate distribution. */
  r: number;
  /** Rate of the purchase-rate distribution, in days: mean rate r/α per day. */
  alpha: number;
  /** Shape of the drop-out-rate distribution. */
  s: number;
  /** Rate of the drop-out-rate distribution, in days: mean lifetime β/(s − 1) days when s > 1. */
  beta: number;
};

/**
 * The log-likelihood of one customer's history, L(r, α, s, β | x, tₓ, T) in FH 2005:
 *
 *   L = Γ(r+x)αʳβˢ/Γ(r) · [ 1/((α+T)^(r+x)(β+T)ˢ) + s/(r+s+x) · A₀ ]
 *
 * The first term is "still alive at T"; the second, "dropped out at some τ in (tₓ, T]", is
 *
 *   s/(r+s+x) · A₀ = s ∫ from tₓ to T of (α+τ)^−(r+x) (β+τ)^−(s+1) dτ = s (G(tₓ) − G(T)),
 *
 * with G(y) the same integral from y to ∞. The note writes A₀ with ₂F₁(r+s+x, s+1; r+s+x+1; ·) of
 * (α−β)/(α+y) when α ≥ β, or ₂F₁(r+s+x, r+x; r+s+x+1; ·) of (β−α)/(β+y) when α < β. Computed as
 * printed, that difference of two ₂F₁ terms fails three ways: the ₂F₁ overflows as its argument
 * nears 1 (its exponent c − a − b is −s or 1 − r − x), the powers (α+y)^−(r+s+x) underflow for
 * heavy buyers, and the difference cancels when tₓ is close to T. Here instead:
 * - Euler's transformation (A&S 15.3.3) turns each ₂F₁ into one of the form ₂F₁(·, 1; r+s+x+1; z),
 *   which is bounded as z → 1 (by (r+s+x)/s for α ≥ β) and which hyp2f1WithUnitB evaluates by
 *   Gauss's continued fraction: no Γ functions, no poles at whole s or r + x, and convergence for
 *   every z < 1 (see logTail for the form). The alternatives fall short: Pfaff's and Euler's
 *   transformations keep |z| < 1/2 only where z ≤ 1/2 already, beyond which the series needs
 *   ~37/(1 − z) terms; the connection formula in 1 − z (A&S 15.3.6) has poles whenever s or
 *   r + x − 1 is whole (s = 1 is a common estimate); and quadrature of an integrand that for
 *   heavy buyers is a spike of width ~(α+tₓ)/(r+x) needs adaptive subdivision to reach 1e-10, at
 *   many times the cost, on every customer of every step of a fit;
 * - G(y) is kept as a logarithm, with the powers added as logs, so nothing overflows or underflows;
 * - G(tₓ) − G(T) is G(tₓ) · (−expm1(log G(T) − log G(tₓ))), which loses nothing when tₓ nears T:
 *   an absolute error δ in the logs becomes a relative error δ/(log G(tₓ) − log G(T)) in a term
 *   whose share of L is then as small as that difference.
 * Against mpmath at 50 digits, L comes out to 1e-11 relative (the log-likelihood to 1e-11
 * absolute) while min(α, β) + tₓ is at least a millionth of max(α, β) + tₓ, that is while the
 * continued fraction's z = |α − β|/(max(α, β) + tₓ) is at most 1 − 1e-6; at 1 − 1e-8 to 1e-9.
 * Past 1 − z ≈ 1e-9 it gives NaN, which the fit treats as +∞: α and β a billion-fold apart
 * describe no population.
 */
export function paretoNbdCustomerLogLikelihood(
  parameters: ParetoNbdParameters,
  customer: PurchaseHistory,
): number {
  const terms = likelihoodTerms(parameters, customer.repeatPurchases);
  const { recencyDays, ageDays } = customer;
  return (
    terms.logPurchases + logBracket(terms, logTail(terms, recencyDays), logTail(terms, ageDays), ageDays)
  );
}

/** The log-likelihood of a population: the sum of the customers' log-likelihoods. */
export function paretoNbdLogLikelihood(
  parameters: ParetoNbdParameters,
  customers: readonly PurchaseHistory[],
): number {
  return customers.reduce((sum, customer) => sum + paretoNbdCustomerLogLikelihood(parameters, customer), 0);
}

/**
 * The same sum over customers grouped by x, with what depends on x alone computed once per group,
 * and G(y) once per group and distinct y: customers who first bought on the same day share T, and
 * every customer without a repeat purchase has tₓ = 0, so a population observed by the day needs
 * far fewer ₂F₁ than it has customers.
 */
export function groupedParetoNbdLogLikelihood(
  parameters: ParetoNbdParameters,
  groups: readonly RepeatPurchaseGroup[],
): number {
  let sum = 0;
  for (const { repeatPurchases, recencyDays, ageDays } of groups) {
    const terms = likelihoodTerms(parameters, repeatPurchases);
    const logTails = new Map<number, number>();
    const logTailAt = (days: number) => {
      let known = logTails.get(days);
      if (known === undefined) {
        known = logTail(terms, days);
        logTails.set(days, known);
      }
      return known;
    };
    sum += ageDays.length * terms.logPurchases;
    for (let index = 0; index < ageDays.length; index += 1) {
      const age = ageDays[index] ?? 0;
      sum += logBracket(terms, logTailAt(recencyDays[index] ?? 0), logTailAt(age), age);
    }
  }
  return sum;
}

/** The parameters with what depends on x but not on tₓ or T. */
type LikelihoodTerms = ParetoNbdParameters & {
  /** r + x: the power of (α+y). */
  exponent: number;
  /** log Γ(r+x)αʳβˢ/Γ(r): the factor of L outside the bracket. */
  logPurchases: number;
  /** log s. */
  logS: number;
  /** log k, k = r+s+x. */
  logK: number;
};

function likelihoodTerms(parameters: ParetoNbdParameters, x: number): LikelihoodTerms {
  const { r, alpha, s, beta } = parameters;
  return {
    ...parameters,
    exponent: r + x,
    logPurchases: gammaln(r + x) - gammaln(r) + r * Math.log(alpha) + s * Math.log(beta),
    logS: Math.log(s),
    logK: Math.log(r + s + x),
  };
}

/** log of the bracket of L, (α+T)^−(r+x) (β+T)^−s + s (G(tₓ) − G(T)), given log G(tₓ) and log G(T). */
function logBracket(
  terms: LikelihoodTerms,
  logTailAtRecency: number,
  logTailAtAge: number,
  ageDays: number,
): number {
  return logSumExp(logSurvival(terms, ageDays), logDroppedOut(terms, logTailAtRecency, logTailAtAge));
}

/** log (α+T)^−(r+x) (β+T)^−s: alive at T, having bought nothing since tₓ, less L's outer factor. */
function logSurvival({ alpha, s, beta, exponent }: LikelihoodTerms, ageDays: number): number {
  return -exponent * Math.log(alpha + ageDays) - s * Math.log(beta + ageDays);
}

/** log s(G(tₓ) − G(T)): −∞ when tₓ = T, as there was no time to drop out unseen. */
function logDroppedOut(terms: LikelihoodTerms, logTailAtRecency: number, logTailAtAge: number): number {
  // ≤ 0 but for rounding when tₓ is within an ulp of T.
  const logRatio = Math.min(0, logTailAtAge - logTailAtRecency);
  return terms.logS + logTailAtRecency + Math.log(-Math.expm1(logRatio));
}

/**
 * log G(y), G(y) = ∫ from y to ∞ of (α+τ)^−(r+x) (β+τ)^−(s+1) dτ. With k = r+s+x, substituting
 * v = 1/(α+τ) (or 1/(β+τ)) makes it an incomplete beta function, as in FH 2005's A₀:
 *
 *   G(y) = ₂F₁(k, s+1; k+1; z)/(k(α+y)ᵏ),  z = (α−β)/(α+y)  when α ≥ β,
 *   G(y) = ₂F₁(k, r+x; k+1; z)/(k(β+y)ᵏ),  z = (β−α)/(β+y)  when α < β,
 *
 * and Euler's transformation, with 1 − z = (min(α,β)+y)/(max(α,β)+y), gives both as
 * (α+y)^−(r+x) (β+y)^−s times
 *
 *   ₂F₁(r+x, 1; k+1; z)/k  when α ≥ β,   (1−z) ₂F₁(s+1, 1; k+1; z)/k  when α < β.
 */
function logTail(terms: LikelihoodTerms, days: number): number {
  const { alpha, s, beta, exponent, logK } = terms;
  const logAlpha = Math.log(alpha + days);
  const logBeta = Math.log(beta + days);
  const logScale = -exponent * logAlpha - s * logBeta - logK;
  const c = exponent + s + 1;
  if (alpha >= beta) {
    return logScale + Math.log(hyp2f1WithUnitB(exponent, c, (alpha - beta) / (alpha + days)));
  }
  return logScale + logAlpha - logBeta + Math.log(hyp2f1WithUnitB(s + 1, c, (beta - alpha) / (beta + days)));
}

/**
 * P(alive at T | x, tₓ, T): the alive term's share of the likelihood (FH 2005),
 * 1 / (1 + s (G(tₓ) − G(T)) (α+T)^(r+x) (β+T)ˢ), from the same logs as the likelihood.
 * Unlike BG/NBD, a customer without repeat purchases is not alive for certain: their lifetime
 * may have ended any time after the first purchase.
 */
export function paretoNbdProbabilityAlive(
  parameters: ParetoNbdParameters,
  customer: PurchaseHistory,
): number {
  const { repeatPurchases, recencyDays, ageDays } = customer;
  const terms = likelihoodTerms(parameters, repeatPurchases);
  const logOdds =
    logDroppedOut(terms, logTail(terms, recencyDays), logTail(terms, ageDays)) - logSurvival(terms, ageDays);
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * E[purchases in (T, T + t] | x, tₓ, T], SMC 1987 eq. (22), FH 2005:
 *
 *   (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive)
 *
 * (r+x)/(α+T) is the expected purchase rate given the history, and (β+T)[1 − ((β+T)/(β+T+t))^(s−1)]
 * /(s−1) the expected days alive in the next t for a customer alive at T. The bracket over s − 1
 * is written as −expm1(−(s−1)L)/(s−1) with L = log(1 + t/(β+T)), which stays accurate as s nears
 * 1 and is L at s = 1, where the printed form is 0/0.
 */
export function paretoNbdExpectedPurchases(
  parameters: ParetoNbdParameters,
  customer: PurchaseHistory,
  days: number,
  alive = paretoNbdProbabilityAlive(parameters, customer),
): number {
  const { r, alpha, s, beta } = parameters;
  const { repeatPurchases: x, ageDays } = customer;
  const logGrowth = Math.log1p(days / (beta + ageDays));
  const exponent = (s - 1) * logGrowth;
  const aliveDays = (beta + ageDays) * (exponent === 0 ? logGrowth : -Math.expm1(-exponent) / (s - 1));
  return ((r + x) / (alpha + ageDays)) * aliveDays * alive;
}

/**
 * E[repeat purchases in (0, t]] for a customer just acquired (SMC 1987; FH 2005):
 * rβ/(α(s−1)) · [1 − (β/(β+t))^(s−1)], which is eq. (22) with x = tₓ = T = 0 (P(alive) = 1).
 */
export function paretoNbdExpectedPurchasesNewCustomer(parameters: ParetoNbdParameters, days: number): number {
  return paretoNbdExpectedPurchases(parameters, { repeatPurchases: 0, recencyDays: 0, ageDays: 0 }, days);
}
