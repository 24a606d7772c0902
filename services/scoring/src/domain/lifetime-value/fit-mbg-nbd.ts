import type { PurchaseHistory } from "./bg-nbd.js";
import { fitDropOutModel } from "./fit-bg-nbd.js";
import type { FitOptions, ModelFit } from "./maximum-likelihood.js";
import { groupedMbgNbdLogLikelihood, type MbgNbdParameters } from "./mbg-nbd.js";

/**
 * Maximum-likelihood MBG/NBD parameters for these customers: those maximising the sum of the
 * BDF 2007 log-likelihoods over them, from the same starts as BG/NBD's. Throws
 * LifetimeValueFitError when there is nothing to fit.
 */
export function fitMbgNbd(
  customers: readonly PurchaseHistory[],
  options: FitOptions = {},
): ModelFit<MbgNbdParameters> {
  return fitDropOutModel("MBG/NBD", groupedMbgNbdLogLikelihood, customers, options);
}
