import type {
  BacktestModelsResponse,
  CalibrationFrequencyGroup as CalibrationFrequencyGroupMessage,
  HoldoutComparison as HoldoutComparisonMessage,
  ModelBacktest as ModelBacktestMessage,
} from "@rapport/proto";
import type { CalibrationFrequencyGroup, HoldoutComparison, ModelBacktest } from "../domain/backtest.js";
import { fitFigures, purchaseCountFitMessage } from "./customer-messages.js";
import type { ModelBacktestRun } from "./model-backtests.js";

export function backtestMessage(run: ModelBacktestRun, currency: string): BacktestModelsResponse {
  const { spendModel } = run;
  return {
    calibrationEnd: new Date(run.period.calibrationEnd).toISOString(),
    holdoutEnd: new Date(run.period.holdoutEnd).toISOString(),
    customers: run.customers,
    calibrationDays: run.calibrationDays,
    holdoutDays: run.holdoutDays,
    gammaGamma:
      spendModel.status === "fitted"
        ? { ...spendModel.fit.parameters, ...fitFigures(spendModel.fit) }
        : undefined,
    gammaGammaFailure: spendModel.status === "failed" ? spendModel.message : "",
    models: run.models.map(modelBacktestMessage),
    bestModel: run.bestModel ?? "",
    currency,
    ranAt: run.ranAt,
    durationMs: run.durationMs,
  };
}

function modelBacktestMessage(backtest: ModelBacktest): ModelBacktestMessage {
  if (backtest.status === "failed")
    return {
      model: backtest.model,
      failure: backtest.message,
      fit: undefined,
      purchases: undefined,
      spendMinor: undefined,
      byCalibrationFrequency: [],
      tracking: [],
    };
  return {
    model: backtest.model,
    failure: "",
    fit: purchaseCountFitMessage(backtest),
    purchases: comparisonMessage(backtest.purchases),
    spendMinor: backtest.spend && comparisonMessage(backtest.spend),
    byCalibrationFrequency: backtest.byCalibrationFrequency.map(groupMessage),
    tracking: backtest.tracking.map((point) => ({
      at: new Date(point.at).toISOString(),
      predicted: point.predicted,
      actual: point.actual,
    })),
  };
}

function comparisonMessage(comparison: HoldoutComparison): HoldoutComparisonMessage {
  return {
    predicted: comparison.predicted,
    actual: comparison.actual,
    ...(comparison.percentError === undefined ? {} : { percentError: comparison.percentError }),
    meanAbsoluteError: comparison.meanAbsoluteError,
  };
}

function groupMessage(group: CalibrationFrequencyGroup): CalibrationFrequencyGroupMessage {
  return {
    repeatPurchases: group.repeatPurchases,
    andMore: group.andMore,
    customers: group.customers,
    meanPredictedPurchases: group.meanPredictedPurchases,
    meanActualPurchases: group.meanActualPurchases,
    ...(group.meanPredictedSpend === undefined ? {} : { meanPredictedSpendMinor: group.meanPredictedSpend }),
    ...(group.meanActualSpend === undefined ? {} : { meanActualSpendMinor: group.meanActualSpend }),
  };
}
