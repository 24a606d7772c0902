import type { PurchasePattern } from "../customer-signals.js";
import {
  fitGammaGamma,
  fitPurchaseCounts,
  type GammaGammaParameters,
  type ModelFit,
  type PurchaseCountFit,
  type PurchaseCountModelName,
  predictiveLifetimeValue,
  purchaseOutlookOf,
} from "../lifetime-value/index.js";

export type PredictiveSettings = {
  horizonDays: number;
  annualDiscountRate: number;
};

/**
 * A purchase-count model (BG/NBD, MBG/NBD or Pareto/NBD, as configured) for how often and how long
 * customers buy, Gamma-Gamma for how much, fitted together.
 */
export type PurchaseModel = {
  purchaseCounts: PurchaseCountFit;
  gammaGamma: ModelFit<GammaGammaParameters>;
};

export type ChurnRiskBand = "low" | "medium" | "high";

export type PredictedValue = {
  probabilityAlive: number;
  churnRisk: number;
  churnRiskBand: ChurnRiskBand;
  predictedPurchases30d: number;
  predictedPurchases90d: number;
  predictedPurchases365d: number;
  expectedAverageSpendMinor: number;
  /** Discounted expected revenue over the horizon, minor units. */
  predictedValueMinor: number;
};

/** Gamma-Gamma is fitted on the customers who bought again; the purchase-count model on every buyer. */
export function fitPurchaseModel(
  patterns: readonly PurchasePattern[],
  countModel: PurchaseCountModelName,
): PurchaseModel {
  return {
    purchaseCounts: fitPurchaseCounts(countModel, patterns),
    gammaGamma: fitGammaGamma(patterns.filter((pattern) => pattern.repeatPurchases > 0)),
  };
}

export function predictValue(
  model: PurchaseModel,
  pattern: PurchasePattern,
  settings: PredictiveSettings,
): PredictedValue {
  const outlook = purchaseOutlookOf(model.purchaseCounts, pattern);
  const prediction = predictiveLifetimeValue(outlook, model.gammaGamma.parameters, pattern, settings);
  return {
    probabilityAlive: prediction.probabilityAlive,
    churnRisk: prediction.churnRisk,
    churnRiskBand: churnRiskBandOf(prediction.churnRisk),
    predictedPurchases30d: outlook.expectedPurchases(30),
    predictedPurchases90d: outlook.expectedPurchases(90),
    predictedPurchases365d: outlook.expectedPurchases(365),
    expectedAverageSpendMinor: Math.round(prediction.expectedAverageSpend),
    predictedValueMinor: Math.round(prediction.lifetimeValue),
  };
}

/** Below 0.3 low, below 0.6 medium, else high: the bands crm.customer.changes reports. */
export function churnRiskBandOf(churnRisk: number): ChurnRiskBand {
  if (churnRisk < 0.3) return "low";
  if (churnRisk < 0.6) return "medium";
  return "high";
}
