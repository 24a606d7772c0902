import betaln from "@stdlib/math-base-special-betaln";
import gammaln from "@stdlib/math-base-special-gammaln";
import { powerScaledHyp2f1 } from "./hypergeometric.js";
import { logSumExp } from "./log-sum-exp.js";

/**
 * The BG/NBD model of Fader, Hardie & Lee (2005), "'Counting Your Customers' the Easy Way: An
 * Alternative to the Pareto/NBD Model", Marketing Science 24(2), cited below as FHL 2005.
 *
 * While alive, a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each repeat
 * purchase they drop out for good with probability p ~ Beta(a, b).
 */
export type BgNbdParameters = {
  /** Shape of the purchase-rate distribution. */
  r: number;
  /** Rate (inverse scale) of the purchase-rate distribution, in days: mean rate r/α per day. */
  alpha: number;
  /** First shape of the drop-out probability's Beta distribution. */
  a: number;
  /** Second shape of the drop-out probability's Beta distribution. */
  b: number;
};

/** A customer's purchases up to the end of observation, with time in days since the first purchase. */
export type PurchaseHistory = {
  /** x: repeat purchases, i.e. distinct purchase days after the first one. */
  repeatPurchases: number;
  /** tₓ: days from the first to the last purchase (0 when there is no repeat purchase). */
  recencyDays: number;
  /** T: days from the first purchase to the end of observation. */
  ageDays: number;
};

/**
 * The log-likelihood of one customer's history, FHL 2005 eq. (6):
 *
 *   L = B(a, b+x)/B(a, b) · Γ(r+x)αʳ / (Γ(r)(α+T)^(r+x))
 *     + [x > 0] B(a+1, b+x−1)/B(a, b) · Γ(r+x)αʳ / (Γ(r)(α+tₓ)^(r+x))
 *
 * The first term is "still alive at T", the second "dropped out right after the last purchase".
 * Both are summed in log space, with the Beta functions from betaln.
 */
export function bgNbdCustomerLogLikelihood(parameters: BgNbdParameters, customer: PurchaseHistory): number {
  const terms = likelihoodTerms(parameters, customer.repeatPurchases);
  return dropOutLogLikelihood(terms, customer.recencyDays, customer.ageDays);
}

/** The log-likelihood of a population: the sum of eq. (6) over its customers. */
export function bgNbdLogLikelihood(
  parameters: BgNbdParameters,
  customers: readonly PurchaseHistory[],
): number {
  return groupedLogLikelihood(parameters, groupByRepeatPurchases(customers));
}

/**
 * Customers with the same number of repeat purchases, whose likelihoods share every Γ and Beta
 * term: a fit computes those once per group and evaluation rather than once per customer.
 */
export type RepeatPurchaseGroup = {
  repeatPurchases: number;
  recencyDays: number[];
  ageDays: number[];
};

export function groupByRepeatPurchases(customers: readonly PurchaseHistory[]): RepeatPurchaseGroup[] {
  const groups = new Map<number, RepeatPurchaseGroup>();
  for (const { repeatPurchases, recencyDays, ageDays } of customers) {
    let group = groups.get(repeatPurchases);
    if (group === undefined) {
      group = { repeatPurchases, recencyDays: [], ageDays: [] };
      groups.set(repeatPurchases, group);
    }
    group.recencyDays.push(recencyDays);
    group.ageDays.push(ageDays);
  }
  return [...groups.values()];
}

export function groupedLogLikelihood(
  parameters: BgNbdParameters,
  groups: readonly RepeatPurchaseGroup[],
): number {
  return groupedDropOutLogLikelihood(groups, (repeatPurchases) =>
    likelihoodTerms(parameters, repeatPurchases),
  );
}

/**
 * The parts that depend on x but not on tₓ or T of a likelihood of BG/NBD's form, "still alive at T"
 * plus "dropped out right after the last purchase" (BG/NBD's eq. (6), MBG/NBD's likewise).
 */
export type DropOutLikelihoodTerms = {
  alpha: number;
  /** r + x: the power of (α+T) and (α+tₓ). */
  exponent: number;
  /** log of the alive term's factor, e.g. BG/NBD's B(a, b+x)/B(a, b) · Γ(r+x)αʳ/Γ(r). */
  logAlive: number;
  /** log of the dropped-out term's factor, e.g. BG/NBD's B(a+1, b+x−1)/B(a, b) · Γ(r+x)αʳ/Γ(r). */
  logDroppedOut: number;
};

/** The sum of a likelihood of BG/NBD's form over grouped customers, its terms computed once per group. */
export function groupedDropOutLogLikelihood(
  groups: readonly RepeatPurchaseGroup[],
  termsOf: (repeatPurchases: number) => DropOutLikelihoodTerms,
): number {
  let sum = 0;
  for (const group of groups) {
    const terms = termsOf(group.repeatPurchases);
    const { recencyDays, ageDays } = group;
    for (let index = 0; index < ageDays.length; index += 1) {
      sum += dropOutLogLikelihood(terms, recencyDays[index] ?? 0, ageDays[index] ?? 0);
    }
  }
  return sum;
}

/** BG/NBD's terms: the dropped-out one is −∞ when x = 0 (nobody drops out unseen). */
function likelihoodTerms(
  { r, alpha, a, b }: BgNbdParameters,
  repeatPurchases: number,
): DropOutLikelihoodTerms {
  const x = repeatPurchases;
  const logPurchases = gammaln(r + x) - gammaln(r) + r * Math.log(alpha) - betaln(a, b);
  return {
    alpha,
    exponent: r + x,
    logAlive: logPurchases + betaln(a, b + x),
    logDroppedOut: x > 0 ? logPurchases + betaln(a + 1, b + x - 1) : Number.NEGATIVE_INFINITY,
  };
}

/** One customer's log-likelihood of BG/NBD's form, from its terms. */
export function dropOutLogLikelihood(
  terms: DropOutLikelihoodTerms,
  recencyDays: number,
  ageDays: number,
): number {
  const { alpha, exponent, logAlive, logDroppedOut } = terms;
  return logSumExp(
    logAlive - exponent * Math.log(alpha + ageDays),
    logDroppedOut - exponent * Math.log(alpha + recencyDays),
  );
}

/**
 * P(alive at T | x, tₓ, T) = 1 / (1 + [x > 0] · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x))
 * (Fader, Hardie & Lee 2008, "Computing P(alive) Using the BG/NBD Model", research note).
 * A customer with no repeat purchase is alive for certain: in BG/NBD one can only drop out right
 * after a repeat purchase.
 */
export function probabilityAlive(parameters: BgNbdParameters, customer: PurchaseHistory): number {
  const { r, alpha, a, b } = parameters;
  const { repeatPurchases: x, recencyDays, ageDays } = customer;
  if (x === 0) return 1;
  const logOdds =
    Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + ageDays) - Math.log(alpha + recencyDays));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * E[purchases in (T, T + t] | x, tₓ, T], FHL 2005 eq. (10):
 *
 *   (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive)
 *
 * (eq. 10's denominator is 1/P(alive)). The bracketed product comes from powerScaledHyp2f1,
 * which uses Euler's transformation where computing it as printed would overflow (heavy buyers,
 * long horizons).
 *
 * Two removable singularities of eq. (10) are beyond the closed form: a = 1 (0/0: a within δ of 1
 * keeps about 16 + log₁₀ δ digits) and, for x = 0, a + b = 1 (c = 0, a pole of ₂F₁ times a zero:
 * close to it the plain series stands in for stdlib, but at it, or close to it with z near 1, the
 * result is NaN rather than a wrong number).
 */
export function expectedPurchases(
  parameters: BgNbdParameters,
  customer: PurchaseHistory,
  days: number,
  alive = probabilityAlive(parameters, customer),
): number {
  const { r, alpha, a, b } = parameters;
  const { repeatPurchases: x, ageDays } = customer;
  const c = a + b + x - 1;
  const z = days / (alpha + ageDays + days);
  const hypergeometricTerm = powerScaledHyp2f1(r + x, b + x, c, z);
  return (c / (a - 1)) * (1 - hypergeometricTerm) * alive;
}

/**
 * E[purchases in (0, t]] for a customer just acquired, FHL 2005 eq. (9): eq. (10) with x = tₓ = T = 0.
 */
export function expectedPurchasesNewCustomer(parameters: BgNbdParameters, days: number): number {
  return expectedPurchases(parameters, { repeatPurchases: 0, recencyDays: 0, ageDays: 0 }, days);
}
