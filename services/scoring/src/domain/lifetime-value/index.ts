export {
  type BgNbdParameters,
  bgNbdCustomerLogLikelihood,
  bgNbdLogLikelihood,
  expectedPurchases,
  expectedPurchasesNewCustomer,
  type PurchaseHistory,
  probabilityAlive,
} from "./bg-nbd.js";
export { fitBgNbd } from "./fit-bg-nbd.js";
export { fitMbgNbd } from "./fit-mbg-nbd.js";
export { fitParetoNbd } from "./fit-pareto-nbd.js";
export {
  expectedAverageSpend,
  fitGammaGamma,
  type GammaGammaParameters,
  gammaGammaCustomerLogLikelihood,
  gammaGammaLogLikelihood,
  type SpendHistory,
} from "./gamma-gamma.js";
export { LifetimeValueFitError, type LifetimeValueFitFailure } from "./lifetime-value-fit-error.js";
export type { FitOptions, ModelFit } from "./maximum-likelihood.js";
export {
  type MbgNbdParameters,
  mbgNbdCustomerLogLikelihood,
  mbgNbdExpectedPurchases,
  mbgNbdExpectedPurchasesNewCustomer,
  mbgNbdLogLikelihood,
  mbgNbdProbabilityAlive,
} from "./mbg-nbd.js";
export {
  type ParetoNbdParameters,
  paretoNbdCustomerLogLikelihood,
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesNewCustomer,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
} from "./pareto-nbd.js";
export {
  type LifetimeValueOptions,
  type LifetimeValuePrediction,
  type PurchaseAndSpendHistory,
  predictiveLifetimeValue,
} from "./predictive-lifetime-value.js";
export {
  expectedPurchasesOf,
  expectedPurchasesOfNewCustomer,
  fitPurchaseCounts,
  type PurchaseCountFit,
  type PurchaseCountModelName,
  type PurchaseOutlook,
  probabilityAliveOf,
  purchaseCountModelNames,
  purchaseOutlookOf,
} from "./purchase-count-model.js";
