import type { PurchasePattern } from "../customer-signals.js";
import {
  type BgNbdParameters,
  expectedPurchases,
  fitBgNbd,
  fitGammaGamma,
  type GammaGammaParameters,
  type ModelFit,
  predictiveLifetimeValue,
} from "../lifetime-value/index.js";

export type PredictiveSettings = {
  horizonDays: number;
  annualDiscountRate: number;
};

/** BG/NBD for how often and how long customers buy, Gamma-Gamma for how much, fitted together. */
export type PurchaseModel = {
  bgNbd: ModelFit<BgNbdParameters>;
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

/** Gamma-Gamma is fitted on the customers who bought again; BG/NBD on every buyer. */
export function fitPurchaseModel(patterns: readonly PurchasePattern[]): PurchaseModel {
  return {
    bgNbd: fitBgNbd(patterns),
    gammaGamma: fitGammaGamma(patterns.filter((pattern) => pattern.repeatPurchases > 0)),
  };
}

export function predictValue(
  model: PurchaseModel,
  pattern: PurchasePattern,
  settings: PredictiveSettings,
): PredictedValue {
  const bgNbd = model.bgNbd.parameters;
  const prediction = predictiveLifetimeValue(bgNbd, model.gammaGamma.parameters, pattern, settings);
  return {
    probabilityAlive: prediction.probabilityAlive,
    churnRisk: prediction.churnRisk,
    churnRiskBand: churnRiskBandOf(prediction.churnRisk),
    predictedPurchases30d: expectedPurchases(bgNbd, pattern, 30),
    predictedPurchases90d: expectedPurchases(bgNbd, pattern, 90),
    predictedPurchases365d: expectedPurchases(bgNbd, pattern, 365),
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
