import { dayMs } from "./customer-facts.js";
import { type DatedPurchase, type PurchasePattern, purchasePatternOf } from "./customer-signals.js";
import {
  expectedAverageSpend,
  expectedPurchasesOf,
  expectedPurchasesOfNewCustomer,
  fitGammaGamma,
  fitPurchaseCounts,
  type GammaGammaParameters,
  LifetimeValueFitError,
  type LifetimeValueFitFailure,
  type ModelFit,
  type PurchaseCountFit,
  type PurchaseCountModelName,
} from "./lifetime-value/index.js";

/**
 * A customer's purchases, in any order. customerId names them for the caller; the backtest reads
 * only the purchases.
 */
export type CustomerPurchases = { customerId: string; purchases: readonly DatedPurchase[] };

/**
 * Models are fitted on the purchases up to calibrationEnd and judged on what happened in
 * (calibrationEnd, holdoutEnd], both epoch ms.
 */
export type BacktestPeriod = { calibrationEnd: number; holdoutEnd: number };

/** What a model predicted for the holdout against what happened, over the backtest's customers. */
export type HoldoutComparison = {
  predicted: number;
  actual: number;
  /**
   * 100 · (predicted − actual) / actual: above 0 when the model predicted too much; absent when
   * actual is 0.
   */
  percentError?: number;
  /** The mean over customers of |predicted − actual|. */
  meanAbsoluteError: number;
};

/**
 * The customers with the same repeat purchases in the calibration period (the last group has
 * `repeatPurchases` or more) and their mean holdout purchases and spend, predicted and actual:
 * Fader & Hardie's conditional expectations, which show whether a model tells heavy from light
 * buyers rather than only getting the total right.
 */
export type CalibrationFrequencyGroup = {
  repeatPurchases: number;
  andMore: boolean;
  customers: number;
  meanPredictedPurchases: number;
  meanActualPurchases: number;
  /** Absent when the spend model could not be fitted. */
  meanPredictedSpend?: number;
  meanActualSpend?: number;
};

/**
 * Cumulative repeat purchases of the backtest's customers at `at` (epoch ms), across calibration
 * and holdout. Actual: the repeat purchases as the live model would count them at `at` (distinct
 * purchase days after the first). Predicted: Σᵢ E[X(t − sᵢ)] over the customers whose first
 * purchase day sᵢ began before t, where E[X(·)] is the model's expectation for a new customer,
 * knowing nothing of their purchases: Fader & Hardie's tracking plot, which shows whether the
 * model follows the purchase rate's course (slowing as customers drop out, seasons aside).
 */
export type TrackingPoint = { at: number; predicted: number; actual: number };

export type FittedModelBacktest = PurchaseCountFit & {
  status: "fitted";
  /** Repeat purchases (distinct purchase days) in the holdout. */
  purchases: HoldoutComparison;
  /** Net revenue in the holdout, minor units; absent when the spend model could not be fitted. */
  spend?: HoldoutComparison;
  /** Repeat purchases 0, 1, …, 6 and 7 or more, the groups with customers only. */
  byCalibrationFrequency: CalibrationFrequencyGroup[];
  /**
   * At calibrationEnd + k weeks for every whole k (negative before calibrationEnd) after the
   * earliest first-purchase day and before holdoutEnd, then at holdoutEnd: one point falls on
   * calibrationEnd, where the prediction starts.
   */
  tracking: TrackingPoint[];
};

export type FailedModelBacktest = {
  model: PurchaseCountModelName;
  status: "failed";
  reason: LifetimeValueFitFailure;
  message: string;
};

export type ModelBacktest = FittedModelBacktest | FailedModelBacktest;

/**
 * Gamma-Gamma fitted once on the calibration period's repeat buyers (those with a positive mean
 * repeat spend) and shared by every model, or why not:
 * "unbounded-mean-spend" when the fit has q ≤ 1, where the population's mean spend is infinite.
 */
export type SpendModelBacktest =
  | { status: "fitted"; fit: ModelFit<GammaGammaParameters> }
  | { status: "failed"; reason: LifetimeValueFitFailure | "unbounded-mean-spend"; message: string };

export type BacktestReport = {
  period: BacktestPeriod;
  /** Customers whose first purchase is at or before calibrationEnd; later ones are left out. */
  customers: number;
  /** From the start of the earliest first-purchase day to calibrationEnd (0 without customers). */
  calibrationDays: number;
  holdoutDays: number;
  spendModel: SpendModelBacktest;
  /** In the order asked for. */
  models: ModelBacktest[];
  /**
   * The fitted model whose holdout repeat purchases are closest to the actual total (the
   * smallest |percentError|, and defined even when nothing was bought); the first on a tie.
   */
  bestModel?: PurchaseCountModelName;
};

/** What one customer did, split at calibrationEnd. */
type ObservedCustomer = {
  /** The pattern as of calibrationEnd, exactly as the live model reads it. */
  calibration: PurchasePattern;
  /** The day (days since the epoch, UTC) of the first purchase. */
  firstDay: number;
  /** Purchase days in (calibrationEnd, holdoutEnd] not already counted in the calibration. */
  holdoutPurchases: number;
  /** Net revenue of the purchases in (calibrationEnd, holdoutEnd]. */
  holdoutSpend: number;
  /** The instant of the first purchase on each repeat purchase day up to holdoutEnd. */
  repeatInstants: number[];
};

type CustomerPrediction = { purchases: number; spend?: number };

/**
 * Fits each purchase-count model on the purchases up to calibrationEnd and compares its
 * predictions for the holdout with what happened, as `rapport model backtest` reports them.
 * Purchases are counted on distinct days, as the live model counts them; the holdout's predicted
 * purchases of a customer are E[X(holdoutDays) | calibration pattern], their predicted spend that
 * times Gamma-Gamma's E[spend per purchase] (the population's mean for a customer with no repeat
 * purchase). A model that cannot be fitted is reported failed with the reason.
 */
export function backtestValueModels(
  customers: readonly CustomerPurchases[],
  period: BacktestPeriod,
  models: readonly PurchaseCountModelName[],
): BacktestReport {
  const { calibrationEnd, holdoutEnd } = period;
  if (!(Number.isFinite(calibrationEnd) && Number.isFinite(holdoutEnd) && holdoutEnd > calibrationEnd)) {
    throw new RangeError(
      `a backtest needs finite instants with holdoutEnd after calibrationEnd, got calibrationEnd ${calibrationEnd}, holdoutEnd ${holdoutEnd}`,
    );
  }
  const observed = customers.flatMap((customer) => observe(customer, period));
  const calibrations = observed.map((customer) => customer.calibration);
  const spendModel = fitSpendModel(calibrations);
  const startDay = observed.reduce((earliest, customer) => Math.min(earliest, customer.firstDay), Infinity);
  const backtests = models.map((model) => backtestModel(model, observed, period, spendModel));
  let bestModel: PurchaseCountModelName | undefined;
  let smallestError = Number.POSITIVE_INFINITY;
  for (const backtest of backtests) {
    if (backtest.status === "failed") continue;
    const error = Math.abs(backtest.purchases.predicted - backtest.purchases.actual);
    if (error < smallestError) {
      bestModel = backtest.model;
      smallestError = error;
    }
  }
  return {
    period,
    customers: observed.length,
    calibrationDays: observed.length > 0 ? calibrationEnd / dayMs - startDay : 0,
    holdoutDays: (holdoutEnd - calibrationEnd) / dayMs,
    spendModel,
    models: backtests,
    ...(bestModel ? { bestModel } : {}),
  };
}

/** The customer split at calibrationEnd, or nothing when their first purchase is after it. */
function observe({ purchases }: CustomerPurchases, period: BacktestPeriod): ObservedCustomer[] {
  const { calibrationEnd, holdoutEnd } = period;
  const calibrationPurchases = purchases.filter(({ at }) => at <= calibrationEnd);
  if (calibrationPurchases.length === 0) return [];
  const firstInstantByDay = new Map<number, number>();
  let holdoutSpend = 0;
  for (const { at, netRevenueMinor } of purchases) {
    if (at > holdoutEnd) continue;
    if (at > calibrationEnd) holdoutSpend += netRevenueMinor;
    const day = Math.floor(at / dayMs);
    firstInstantByDay.set(day, Math.min(at, firstInstantByDay.get(day) ?? at));
  }
  const days = [...firstInstantByDay.keys()].sort((a, b) => a - b);
  const repeatInstants = days.slice(1).map((day) => firstInstantByDay.get(day) as number);
  return [
    {
      calibration: purchasePatternOf(calibrationPurchases, calibrationEnd),
      firstDay: days[0] as number,
      holdoutPurchases: repeatInstants.filter((at) => at > calibrationEnd).length,
      holdoutSpend,
      repeatInstants,
    },
  ];
}

function fitSpendModel(calibrations: readonly PurchasePattern[]): SpendModelBacktest {
  try {
    const fit = fitGammaGamma(calibrations);
    if (fit.parameters.q <= 1) {
      const message = `Gamma-Gamma fitted q = ${fit.parameters.q} ≤ 1: the mean spend per purchase is unbounded`;
      return { status: "failed", reason: "unbounded-mean-spend", message };
    }
    return { status: "fitted", fit };
  } catch (error) {
    if (error instanceof LifetimeValueFitError) {
      return { status: "failed", reason: error.reason, message: error.message };
    }
    throw error;
  }
}

function backtestModel(
  model: PurchaseCountModelName,
  observed: readonly ObservedCustomer[],
  period: BacktestPeriod,
  spendModel: SpendModelBacktest,
): ModelBacktest {
  let counts: PurchaseCountFit;
  try {
    counts = fitPurchaseCounts(
      model,
      observed.map((customer) => customer.calibration),
    );
  } catch (error) {
    if (error instanceof LifetimeValueFitError) {
      return { model, status: "failed", reason: error.reason, message: error.message };
    }
    throw error;
  }
  const spend = spendModel.status === "fitted" ? spendModel.fit.parameters : undefined;
  const predictions = predictHoldout(counts, observed, period, spend);
  return {
    ...counts,
    status: "fitted",
    purchases: compare(
      predictions.map((prediction) => prediction.purchases),
      observed.map((customer) => customer.holdoutPurchases),
    ),
    ...(spend
      ? {
          spend: compare(
            predictions.map((prediction) => prediction.spend ?? 0),
            observed.map((customer) => customer.holdoutSpend),
          ),
        }
      : {}),
    byCalibrationFrequency: groupByCalibrationFrequency(observed, predictions),
    tracking: trackRepeatPurchases(counts, observed, period),
  };
}

/**
 * Each customer's expected holdout purchases (and spend). Customers who share a pattern share the
 * prediction; their repeat purchases, recency and first day pin it down, since the age follows
 * from the first day.
 */
function predictHoldout(
  counts: PurchaseCountFit,
  observed: readonly ObservedCustomer[],
  { calibrationEnd, holdoutEnd }: BacktestPeriod,
  spend: GammaGammaParameters | undefined,
): CustomerPrediction[] {
  const holdoutDays = (holdoutEnd - calibrationEnd) / dayMs;
  const purchasesByPattern = new Map<string, number>();
  return observed.map(({ calibration, firstDay }) => {
    const key = `${calibration.repeatPurchases} ${calibration.recencyDays} ${firstDay}`;
    let purchases = purchasesByPattern.get(key);
    if (purchases === undefined) {
      purchases = expectedPurchasesOf(counts, calibration, holdoutDays);
      purchasesByPattern.set(key, purchases);
    }
    return spend ? { purchases, spend: purchases * expectedAverageSpend(spend, calibration) } : { purchases };
  });
}

function compare(predicted: readonly number[], actual: readonly number[]): HoldoutComparison {
  let predictedTotal = 0;
  let actualTotal = 0;
  let absoluteErrors = 0;
  predicted.forEach((prediction, index) => {
    const outcome = actual[index] as number;
    predictedTotal += prediction;
    actualTotal += outcome;
    absoluteErrors += Math.abs(prediction - outcome);
  });
  return {
    predicted: predictedTotal,
    actual: actualTotal,
    ...(actualTotal !== 0 ? { percentError: (100 * (predictedTotal - actualTotal)) / actualTotal } : {}),
    meanAbsoluteError: absoluteErrors / predicted.length,
  };
}

/** Groups 0, 1, …, 6 repeat purchases, then 7 or more. */
const openFrequencyGroup = 7;

function groupByCalibrationFrequency(
  observed: readonly ObservedCustomer[],
  predictions: readonly CustomerPrediction[],
): CalibrationFrequencyGroup[] {
  const sums = Array.from({ length: openFrequencyGroup + 1 }, () => ({
    customers: 0,
    predictedPurchases: 0,
    actualPurchases: 0,
    predictedSpend: 0,
    actualSpend: 0,
  }));
  observed.forEach((customer, index) => {
    const prediction = predictions[index] as CustomerPrediction;
    const sum = sums[
      Math.min(customer.calibration.repeatPurchases, openFrequencyGroup)
    ] as (typeof sums)[number];
    sum.customers += 1;
    sum.predictedPurchases += prediction.purchases;
    sum.actualPurchases += customer.holdoutPurchases;
    sum.predictedSpend += prediction.spend ?? 0;
    sum.actualSpend += customer.holdoutSpend;
  });
  const hasSpend = predictions.some((prediction) => prediction.spend !== undefined);
  return sums.flatMap((sum, repeatPurchases) =>
    sum.customers === 0
      ? []
      : [
          {
            repeatPurchases,
            andMore: repeatPurchases === openFrequencyGroup,
            customers: sum.customers,
            meanPredictedPurchases: sum.predictedPurchases / sum.customers,
            meanActualPurchases: sum.actualPurchases / sum.customers,
            ...(hasSpend
              ? {
                  meanPredictedSpend: sum.predictedSpend / sum.customers,
                  meanActualSpend: sum.actualSpend / sum.customers,
                }
              : {}),
          },
        ],
  );
}

const weekMs = 7 * dayMs;

/**
 * The tracking curve (see FittedModelBacktest.tracking for its points). Customers are grouped by
 * first purchase day and E[X(t)] is evaluated once per distinct age t, so the cost grows with
 * weeks × first-purchase days, not with customers.
 */
function trackRepeatPurchases(
  counts: PurchaseCountFit,
  observed: readonly ObservedCustomer[],
  { calibrationEnd, holdoutEnd }: BacktestPeriod,
): TrackingPoint[] {
  const customersByFirstDay = new Map<number, number>();
  for (const { firstDay } of observed) {
    customersByFirstDay.set(firstDay, (customersByFirstDay.get(firstDay) ?? 0) + 1);
  }
  const start = Math.min(...customersByFirstDay.keys()) * dayMs;
  const firstWeek = Math.floor((start - calibrationEnd) / weekMs) + 1;
  const ends: number[] = [];
  for (let week = firstWeek; calibrationEnd + week * weekMs < holdoutEnd; week += 1) {
    ends.push(calibrationEnd + week * weekMs);
  }
  ends.push(holdoutEnd);

  const repeatPurchasesInWeek = ends.map(() => 0);
  for (const { repeatInstants } of observed) {
    for (const at of repeatInstants) {
      const week = Math.ceil((at - calibrationEnd) / weekMs) - firstWeek;
      const index = Math.min(Math.max(week, 0), ends.length - 1);
      repeatPurchasesInWeek[index] = (repeatPurchasesInWeek[index] as number) + 1;
    }
  }

  const expectedByAge = new Map<number, number>();
  const expectedAtAge = (days: number) => {
    let expected = expectedByAge.get(days);
    if (expected === undefined) {
      expected = expectedPurchasesOfNewCustomer(counts, days);
      expectedByAge.set(days, expected);
    }
    return expected;
  };
  let actual = 0;
  return ends.map((at, index) => {
    actual += repeatPurchasesInWeek[index] as number;
    let predicted = 0;
    for (const [firstDay, customers] of customersByFirstDay) {
      const days = at / dayMs - firstDay;
      if (days > 0) predicted += customers * expectedAtAge(days);
    }
    return { at, predicted, actual };
  });
}
