import { groupByRepeatPurchases, type PurchaseHistory } from "./bg-nbd.js";
import { type FitOptions, type ModelFit, maximizeOnLogScale } from "./maximum-likelihood.js";
import { observedPurchaseRate } from "./observed-purchase-rate.js";
import { groupedParetoNbdLogLikelihood, type ParetoNbdParameters } from "./pareto-nbd.js";

/**
 * Maximum-likelihood Pareto/NBD parameters for these customers: those maximising the sum of the
 * FH 2005 log-likelihoods over them. Throws LifetimeValueFitError when there is nothing to fit.
 */
export function fitParetoNbd(
  customers: readonly PurchaseHistory[],
  options: FitOptions = {},
): ModelFit<ParetoNbdParameters> {
  const purchasesPerDay = observedPurchaseRate(customers, "Pareto/NBD");
  const groups = groupByRepeatPurchases(customers);
  const meanAgeDays = customers.reduce((sum, customer) => sum + customer.ageDays, 0) / customers.length;
  // Both starts put the mean purchase rate r/α at the observed one and the mean drop-out rate s/β
  // at one per mean age; they differ in how uneven both rates are (r, s).
  const starts = [
    [1, 1 / purchasesPerDay, 1, meanAgeDays],
    [0.3, 0.3 / purchasesPerDay, 0.5, 0.5 * meanAgeDays],
  ].map((start) => start.map(Math.log));
  const fit = maximizeOnLogScale(
    ([r = 0, alpha = 0, s = 0, beta = 0]) => groupedParetoNbdLogLikelihood({ r, alpha, s, beta }, groups),
    starts,
    options,
  );
  const [r = 0, alpha = 0, s = 0, beta = 0] = fit.parameters;
  return {
    parameters: { r, alpha, s, beta },
    logLikelihood: fit.logLikelihood,
    customers: customers.length,
    iterations: fit.iterations,
    converged: fit.converged,
  };
}
