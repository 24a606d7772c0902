import { groupByRepeatPurchases, type PurchaseHistory } from "./bg-nbd.js";
import { type FitOptions, type ModelFit, maximizeOnLogScale } from "./maximum-likelihood.js";
import { groupedMbgNbdLogLikelihood, type MbgNbdParameters } from "./mbg-nbd.js";
import { observedPurchaseRate } from "./observed-purchase-rate.js";

/**
 * Maximum-likelihood MBG/NBD parameters for these customers: those maximising the sum of the
 * BDF 2007 log-likelihoods over them. Throws LifetimeValueFitError when there is nothing to fit.
 */
export function fitMbgNbd(
  customers: readonly PurchaseHistory[],
  options: FitOptions = {},
): ModelFit<MbgNbdParameters> {
  const purchasesPerDay = observedPurchaseRate(customers, "MBG/NBD");
  const groups = groupByRepeatPurchases(customers);
  // The same starts as BG/NBD's: the mean purchase rate r/α at the observed one, uneven or even
  // rates (r), early or late drop-out (a, b).
  const starts = [
    [1, 1 / purchasesPerDay, 1, 1],
    [0.3, 0.3 / purchasesPerDay, 2, 6],
  ].map((start) => start.map(Math.log));
  const fit = maximizeOnLogScale(
    ([r = 0, alpha = 0, a = 0, b = 0]) => groupedMbgNbdLogLikelihood({ r, alpha, a, b }, groups),
    starts,
    options,
  );
  const [r = 0, alpha = 0, a = 0, b = 0] = fit.parameters;
  return {
    parameters: { r, alpha, a, b },
    logLikelihood: fit.logLikelihood,
    customers: customers.length,
    iterations: fit.iterations,
    converged: fit.converged,
  };
}
