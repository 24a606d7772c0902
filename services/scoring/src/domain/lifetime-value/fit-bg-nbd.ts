import {
  type BgNbdParameters,
  groupByRepeatPurchases,
  groupedLogLikelihood,
  type PurchaseHistory,
  type RepeatPurchaseGroup,
} from "./bg-nbd.js";
import { type FitOptions, type ModelFit, maximizeOnLogScale } from "./maximum-likelihood.js";
import { observedPurchaseRate } from "./observed-purchase-rate.js";

/**
 * Maximum-likelihood BG/NBD parameters for these customers: those maximising the sum of FHL 2005
 * eq. (6) over them. Throws LifetimeValueFitError when there is nothing to fit.
 */
export function fitBgNbd(
  customers: readonly PurchaseHistory[],
  options: FitOptions = {},
): ModelFit<BgNbdParameters> {
  return fitDropOutModel("BG/NBD", groupedLogLikelihood, customers, options);
}

/**
 * Maximum-likelihood r, α, a, b of a model of BG/NBD's parameters (BG/NBD, MBG/NBD) with this
 * grouped log-likelihood. Throws LifetimeValueFitError when there is nothing to fit.
 */
export function fitDropOutModel(
  model: string,
  logLikelihood: (parameters: BgNbdParameters, groups: readonly RepeatPurchaseGroup[]) => number,
  customers: readonly PurchaseHistory[],
  options: FitOptions,
): ModelFit<BgNbdParameters> {
  const purchasesPerDay = observedPurchaseRate(customers, model);
  const groups = groupByRepeatPurchases(customers);
  // Both starts put the mean purchase rate r/α at the observed repeat purchases per day of age;
  // they differ in how uneven rates are (r) and in how soon customers drop out (a, b).
  const starts = [
    [1, 1 / purchasesPerDay, 1, 1],
    [0.3, 0.3 / purchasesPerDay, 2, 6],
  ].map((start) => start.map(Math.log));
  const fit = maximizeOnLogScale(
    ([r = 0, alpha = 0, a = 0, b = 0]) => logLikelihood({ r, alpha, a, b }, groups),
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
