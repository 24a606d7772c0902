import betaln from "@stdlib/math-base-special-betaln";
import gammaln from "@stdlib/math-base-special-gammaln";
import {
  type DropOutLikelihoodTerms,
  dropOutLogLikelihood,
  groupedDropOutLogLikelihood,
  type PurchaseHistory,
  type RepeatPurchaseGroup,
} from "./bg-nbd.js";
import { powerScaledHyp2f1 } from "./hypergeometric.js";

/**
 * The MBG/NBD model of Batislam, Denizel & Filiztekin (2007), "Empirical validation and comparison
 * of models for customer base analysis", International Journal of Research in Marketing 24(3)
 * (BDF 2007).
 *
 * As in BG/NBD, a customer buys as a Poisson process with rate λ ~ Gamma(r, α) while alive and
 * drops out with probability p ~ Beta(a, b) right after a purchase; but here the first purchase
 * counts too, so a customer may drop out at time 0 and a one-time buyer is not alive for certain.
 */
export type MbgNbdParameters = {
  /** Shape of the purchase-rate distribution. */
  r: number;
  /** Rate (inverse scale) of the purchase-rate distribution, in days: mean rate r/α per day. */
  alpha: number;
  /** First shape of the drop-out probability's Beta distribution. */
  a: number;
  /** Second shape of the drop-out probability's Beta distribution. */
  b: number;
};

/**
 * The log-likelihood of one customer's history (BDF 2007):
 *
 *   L = B(a, b+x+1)/B(a, b) · Γ(r+x)αʳ / (Γ(r)(α+T)^(r+x))
 *     + B(a+1, b+x)/B(a, b) · Γ(r+x)αʳ / (Γ(r)(α+tₓ)^(r+x))
 *
 * "Still alive at T" and "dropped out right after the last purchase", which for x = 0 (tₓ = 0) is
 * the first one: then the second term is a/(a+b). Summed in log space, Beta functions from betaln.
 */
export function mbgNbdCustomerLogLikelihood(parameters: MbgNbdParameters, customer: PurchaseHistory): number {
  const terms = likelihoodTerms(parameters, customer.repeatPurchases);
  return dropOutLogLikelihood(terms, customer.recencyDays, customer.ageDays);
}

/** The log-likelihood of a population: the sum of the customers' log-likelihoods. */
export function mbgNbdLogLikelihood(
  parameters: MbgNbdParameters,
  customers: readonly PurchaseHistory[],
): number {
  return customers.reduce((sum, customer) => sum + mbgNbdCustomerLogLikelihood(parameters, customer), 0);
}

/** The same sum over customers grouped by x, with the Γ and Beta terms computed once per group. */
export function groupedMbgNbdLogLikelihood(
  parameters: MbgNbdParameters,
  groups: readonly RepeatPurchaseGroup[],
): number {
  return groupedDropOutLogLikelihood(groups, (repeatPurchases) =>
    likelihoodTerms(parameters, repeatPurchases),
  );
}

/** MBG/NBD's terms: alive B(a, b+x+1)/B(a, b), dropped out B(a+1, b+x)/B(a, b), each · Γ(r+x)αʳ/Γ(r). */
function likelihoodTerms(
  { r, alpha, a, b }: MbgNbdParameters,
  repeatPurchases: number,
): DropOutLikelihoodTerms {
  const x = repeatPurchases;
  const logPurchases = gammaln(r + x) - gammaln(r) + r * Math.log(alpha) - betaln(a, b);
  return {
    alpha,
    exponent: r + x,
    logAlive: logPurchases + betaln(a, b + x + 1),
    logDroppedOut: logPurchases + betaln(a + 1, b + x),
  };
}

/**
 * P(alive at T | x, tₓ, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+tₓ))^(r+x)) (BDF 2007). For a one-time
 * buyer this is 1 / (1 + a/b · (1 + T/α)^r): it falls towards 0 the longer they stay silent, but
 * only like T^−r, so slowly when purchase rates vary a lot (small r).
 */
export function mbgNbdProbabilityAlive(parameters: MbgNbdParameters, customer: PurchaseHistory): number {
  const { r, alpha, a, b } = parameters;
  const { repeatPurchases: x, recencyDays, ageDays } = customer;
  const logOdds =
    Math.log(a) - Math.log(b + x) + (r + x) * (Math.log(alpha + ageDays) - Math.log(alpha + recencyDays));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * E[purchases in (T, T + t] | x, tₓ, T] (BDF 2007):
 *
 *   (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))] · P(alive)
 *
 * BG/NBD's FHL 2005 eq. (10) with b + 1 for b in the ₂F₁ and a + b + x for its c, so
 * powerScaledHyp2f1 serves here as there (Euler's transformation where the printed form would
 * overflow). Its c = a + b + x is positive for any parameters: BG/NBD's pole at c = 0 (x = 0,
 * a + b = 1) has no counterpart. The removable singularity at a = 1 (0/0) remains: a within δ of
 * 1 keeps about 16 + log₁₀ δ digits.
 */
export function mbgNbdExpectedPurchases(
  parameters: MbgNbdParameters,
  customer: PurchaseHistory,
  days: number,
  alive = mbgNbdProbabilityAlive(parameters, customer),
): number {
  const { r, alpha, a, b } = parameters;
  const { repeatPurchases: x, ageDays } = customer;
  const c = a + b + x;
  const z = days / (alpha + ageDays + days);
  const hypergeometricTerm = powerScaledHyp2f1(r + x, b + x + 1, c, z);
  return (c / (a - 1)) * (1 - hypergeometricTerm) * alive;
}

/**
 * E[repeat purchases in (0, t]] for a customer just acquired (BDF 2007):
 * b/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))], the conditional expectation with
 * x = tₓ = T = 0, whose P(alive) is b/(a+b): the chance of not dropping out at the first purchase.
 */
export function mbgNbdExpectedPurchasesNewCustomer(parameters: MbgNbdParameters, days: number): number {
  return mbgNbdExpectedPurchases(parameters, { repeatPurchases: 0, recencyDays: 0, ageDays: 0 }, days);
}
