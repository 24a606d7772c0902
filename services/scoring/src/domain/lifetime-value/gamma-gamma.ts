import betaln from "@stdlib/math-base-special-betaln";
import { LifetimeValueFitError } from "./lifetime-value-fit-error.js";
import { type FitOptions, type ModelFit, maximizeOnLogScale } from "./maximum-likelihood.js";

/**
 * The Gamma-Gamma spend model of Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value
 * Curves for Customer Base Analysis", Journal of Marketing Research 42(4), as set out in Fader &
 * Hardie (2013), "The Gamma-Gamma Model of Monetary Value" (note 025).
 *
 * Each transaction's value is Gamma(p, ν) (mean p/ν); across customers ν ~ Gamma(q, v).
 * The mean spend per transaction over the population is p·v/(q − 1), finite only for q > 1.
 */
export type GammaGammaParameters = {
  /** Shape of a transaction's value around the customer's own mean. */
  p: number;
  /** Shape of the distribution of ν across customers. */
  q: number;
  /** Rate of the distribution of ν, in currency units (the paper's γ). */
  v: number;
};

/** What the spend model sees of a customer: their repeat purchases and what those were worth. */
export type SpendHistory = {
  /** x: repeat purchases (the first purchase is left out, as in the frequency model). */
  repeatPurchases: number;
  /** mₓ: the mean value of those repeat purchases. */
  meanRepeatSpend: number;
};

/**
 * log f(mₓ | p, q, v, x), the density of a customer's mean repeat spend given x (note 025):
 *
 *   f(mₓ) = Γ(px+q)/(Γ(px)Γ(q)) · v^q mₓ^(px−1) x^(px) / (v + x·mₓ)^(px+q)
 *
 * with Γ(px+q)/(Γ(px)Γ(q)) = 1/B(px, q) taken from betaln. Only defined for x ≥ 1, mₓ > 0.
 */
export function gammaGammaCustomerLogLikelihood(
  parameters: GammaGammaParameters,
  customer: SpendHistory,
): number {
  const { p, q, v } = parameters;
  const { repeatPurchases: x, meanRepeatSpend: m } = customer;
  const px = p * x;
  return (
    -betaln(px, q) +
    q * Math.log(v) +
    (px - 1) * Math.log(m) +
    px * Math.log(x) -
    (px + q) * Math.log(v + x * m)
  );
}

/** The sum of the log-likelihoods of customers with x ≥ 1 and mₓ > 0 (the others are skipped). */
export function gammaGammaLogLikelihood(
  parameters: GammaGammaParameters,
  customers: readonly SpendHistory[],
): number {
  return customers
    .filter(isInSpendModel)
    .reduce((sum, customer) => sum + gammaGammaCustomerLogLikelihood(parameters, customer), 0);
}

/**
 * Maximum-likelihood Gamma-Gamma parameters from the customers with x ≥ 1 and mₓ > 0: a
 * customer without a repeat purchase tells nothing about repeat spend. Throws
 * LifetimeValueFitError when no customer qualifies.
 */
export function fitGammaGamma(
  customers: readonly SpendHistory[],
  options: FitOptions = {},
): ModelFit<GammaGammaParameters> {
  const spenders = customers.filter(isInSpendModel);
  if (spenders.length === 0) {
    const reason = customers.length === 0 ? "no-customers" : "no-repeat-purchases";
    throw new LifetimeValueFitError(reason, "no customer with a repeat purchase of positive value");
  }
  const groups = groupByRepeatPurchases(spenders);
  const meanSpend = spenders.reduce((sum, { meanRepeatSpend }) => sum + meanRepeatSpend, 0) / spenders.length;
  // Both starts put the population's mean spend p·v/(q − 1) at the observed mean; the first has
  // transactions vary much around each customer's mean (small p), the second little.
  const starts = [
    [1, 2, meanSpend],
    [5, 3, (2 * meanSpend) / 5],
  ].map((start) => start.map(Math.log));
  const fit = maximizeOnLogScale(
    ([p = 0, q = 0, v = 0]) => groupedLogLikelihood({ p, q, v }, groups),
    starts,
    options,
  );
  const [p = 0, q = 0, v = 0] = fit.parameters;
  return {
    parameters: { p, q, v },
    logLikelihood: fit.logLikelihood,
    customers: spenders.length,
    iterations: fit.iterations,
    converged: fit.converged,
  };
}

/**
 * E[spend per transaction | x, mₓ] = p(v + x·mₓ)/(px + q − 1) (note 025): a weighted mean of the
 * population mean p·v/(q − 1) and the customer's own mₓ, leaning to mₓ as x grows. With x = 0 it
 * is the population mean. Needs q > 1.
 */
export function expectedAverageSpend(parameters: GammaGammaParameters, customer: SpendHistory): number {
  const { p, q, v } = parameters;
  const { repeatPurchases: x, meanRepeatSpend: m } = customer;
  return (p * (v + x * m)) / (p * x + q - 1);
}

function isInSpendModel(customer: SpendHistory): boolean {
  return customer.repeatPurchases >= 1 && customer.meanRepeatSpend > 0;
}

/**
 * Spenders grouped by x, with what does not depend on the parameters summed once: Σ log mₓ, and
 * x·mₓ per customer for the one term that mixes data and parameters, log(v + x·mₓ).
 */
type SpendGroup = { repeatPurchases: number; sumLogSpend: number; totalSpends: number[] };

function groupByRepeatPurchases(spenders: readonly SpendHistory[]): SpendGroup[] {
  const groups = new Map<number, SpendGroup>();
  for (const { repeatPurchases, meanRepeatSpend } of spenders) {
    let group = groups.get(repeatPurchases);
    if (group === undefined) {
      group = { repeatPurchases, sumLogSpend: 0, totalSpends: [] };
      groups.set(repeatPurchases, group);
    }
    group.sumLogSpend += Math.log(meanRepeatSpend);
    group.totalSpends.push(repeatPurchases * meanRepeatSpend);
  }
  return [...groups.values()];
}

/** The same sum as gammaGammaLogLikelihood, term by term, over grouped spenders. */
function groupedLogLikelihood({ p, q, v }: GammaGammaParameters, groups: readonly SpendGroup[]): number {
  let sum = 0;
  for (const { repeatPurchases: x, sumLogSpend, totalSpends } of groups) {
    const px = p * x;
    const count = totalSpends.length;
    sum += count * (-betaln(px, q) + q * Math.log(v) + px * Math.log(x)) + (px - 1) * sumLogSpend;
    for (const totalSpend of totalSpends) sum -= (px + q) * Math.log(v + totalSpend);
  }
  return sum;
}
