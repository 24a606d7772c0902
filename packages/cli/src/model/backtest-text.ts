import type { BacktestModelsResponse, HoldoutComparison, ModelBacktest } from "@rapport/proto";
import { count, decimal, money, optional } from "../views/figures.js";
import { textTable } from "../views/text-table.js";
import { purchaseCountModelLabel } from "./population-model-text.js";

/** Rows of the tracking table: about this many, every k-th week, with the calibration end and the last. */
const trackingRows = 16;
const chartWidth = 60;
const chartHeight = 12;

const day = (instant: string) => instant.slice(0, 10);
const signedPercent = (value: number | undefined) =>
  optional(value, (error) => `${error >= 0 ? "+" : "−"}${decimal(Math.abs(error), 1)}%`);

/**
 * A backtest as a person reads it: the period and customers, each model's holdout error on purchases
 * and spend, the conditional expectations by calibration frequency, the weekly cumulative tracking
 * curve as a table and as a small chart of what happened against the best model.
 */
export function backtestText(backtest: BacktestModelsResponse): string {
  const fitted = backtest.models.filter((model) => model.failure === "");
  const label = (model: ModelBacktest) => purchaseCountModelLabel(model.model);
  const amount = (minor: number) => money(Math.round(minor), backtest.currency);
  const comparisonCells = (comparison: HoldoutComparison | undefined, write: (value: number) => string) =>
    comparison === undefined
      ? ["–", "–", "–", "–"]
      : [
          write(comparison.predicted),
          write(comparison.actual),
          signedPercent(comparison.percentError),
          write(comparison.meanAbsoluteError),
        ];
  const purchases = (value: number) => decimal(value, 1);
  const best = backtest.models.find((model) => model.model === backtest.bestModel);
  return [
    `Backtest of the purchase-count models, run ${backtest.ranAt} (${decimal(backtest.durationMs / 1000, 1)} s)`,
    `  calibration  up to ${day(backtest.calibrationEnd)} (${count(Math.round(backtest.calibrationDays))} days from the first purchase)`,
    `  holdout      ${day(backtest.calibrationEnd)} to ${day(backtest.holdoutEnd)} (${count(Math.round(backtest.holdoutDays))} days)`,
    `  customers    ${count(backtest.customers)} (first bought by the calibration end)`,
    `  spend model  ${
      backtest.gammaGamma === undefined
        ? `Gamma-Gamma not fitted: ${backtest.gammaGammaFailure}`
        : `Gamma-Gamma p ${decimal(backtest.gammaGamma.p, 4)}  q ${decimal(backtest.gammaGamma.q, 4)}  v ${decimal(backtest.gammaGamma.v, 4)} over ${count(backtest.gammaGamma.customers)} repeat buyers`
    }`,
    "",
    "Holdout repeat purchases and spend, all customers (error = (predicted − actual) / actual; MAE per customer)",
    ...textTable(
      [
        { heading: "model" },
        { heading: "log-likelihood", alignRight: true },
        { heading: "purchases predicted", alignRight: true },
        { heading: "actual", alignRight: true },
        { heading: "error", alignRight: true },
        { heading: "MAE", alignRight: true },
        { heading: "spend predicted", alignRight: true },
        { heading: "actual", alignRight: true },
        { heading: "error", alignRight: true },
        { heading: "MAE", alignRight: true },
      ],
      backtest.models.map((model) =>
        model.failure === ""
          ? [
              label(model),
              decimal(model.fit?.logLikelihood ?? Number.NaN, 1),
              ...comparisonCells(model.purchases, purchases),
              ...comparisonCells(model.spendMinor, amount),
            ]
          : [label(model), `not fitted: ${model.failure}`],
      ),
    ),
    best === undefined
      ? "  no model could be fitted on the calibration period"
      : `  closest: ${label(best)} (SCORING_PURCHASE_MODEL=auto fits with it)`,
    ...parameterLines(fitted),
    "",
    "Mean holdout purchases per customer by repeat purchases in the calibration period",
    ...conditionalExpectations(fitted),
    "",
    "Cumulative repeat purchases, weekly (| marks the calibration end)",
    ...trackingTable(fitted, backtest.calibrationEnd),
    ...(best === undefined ? [] : ["", ...trackingChart(best, backtest.calibrationEnd)]),
    "",
  ].join("\n");
}

function parameterLines(fitted: readonly ModelBacktest[]): string[] {
  return fitted.map((model) => {
    const parameters = Object.entries(model.fit?.parameters ?? {})
      .map(([name, value]) => `${name} ${decimal(value, 4)}`)
      .join("  ");
    return `  ${purchaseCountModelLabel(model.model)}: ${parameters}${model.fit?.converged === false ? " (NOT converged)" : ""}`;
  });
}

function conditionalExpectations(fitted: readonly ModelBacktest[]): string[] {
  const [first] = fitted;
  if (first === undefined) return ["  none: no model was fitted"];
  return textTable(
    [
      { heading: "repeat purchases" },
      { heading: "customers", alignRight: true },
      { heading: "actual", alignRight: true },
      ...fitted.map((model) => ({ heading: purchaseCountModelLabel(model.model), alignRight: true })),
    ],
    first.byCalibrationFrequency.map((group, index) => [
      `${group.repeatPurchases}${group.andMore ? "+" : ""}`,
      count(group.customers),
      decimal(group.meanActualPurchases, 2),
      ...fitted.map((model) =>
        decimal(model.byCalibrationFrequency[index]?.meanPredictedPurchases ?? Number.NaN, 2),
      ),
    ]),
  );
}

function trackingTable(fitted: readonly ModelBacktest[], calibrationEnd: string): string[] {
  const [first] = fitted;
  if (first === undefined) return ["  none: no model was fitted"];
  const points = first.tracking;
  const every = Math.max(1, Math.ceil(points.length / trackingRows));
  const shown = points
    .map((point, index) => ({ point, index }))
    .filter(
      ({ point, index }) => index % every === 0 || index === points.length - 1 || point.at === calibrationEnd,
    );
  return textTable(
    [
      { heading: "week to" },
      { heading: "actual", alignRight: true },
      ...fitted.map((model) => ({ heading: purchaseCountModelLabel(model.model), alignRight: true })),
    ],
    shown.map(({ point, index }) => [
      `${day(point.at)}${point.at === calibrationEnd ? " |" : ""}`,
      decimal(point.actual, 0),
      ...fitted.map((model) => decimal(model.tracking[index]?.predicted ?? Number.NaN, 1)),
    ]),
  );
}

/** What happened (*) and what the model expected (o) over the weeks, the calibration end as a column of |. */
function trackingChart(model: ModelBacktest, calibrationEnd: string): string[] {
  const points = model.tracking;
  const top = Math.max(1, ...points.map((point) => Math.max(point.actual, point.predicted)));
  const column = (index: number) =>
    points.length < 2 ? 0 : Math.round((index / (points.length - 1)) * (chartWidth - 1));
  const row = (value: number) => chartHeight - 1 - Math.round((value / top) * (chartHeight - 1));
  const grid = Array.from({ length: chartHeight }, () => Array.from({ length: chartWidth }, () => " "));
  const calibrationIndex = points.findIndex((point) => point.at === calibrationEnd);
  if (calibrationIndex >= 0) for (const line of grid) line[column(calibrationIndex)] = "|";
  points.forEach((point, index) => {
    (grid[row(point.predicted)] as string[])[column(index)] = "o";
    (grid[row(point.actual)] as string[])[column(index)] = "*";
  });
  const scale = count(Math.round(top)).length;
  return [
    `  * actual, o ${purchaseCountModelLabel(model.model)}: cumulative repeat purchases`,
    ...grid.map((line, index) => {
      const value = index === 0 ? count(Math.round(top)) : index === chartHeight - 1 ? "0" : "";
      return `  ${value.padStart(scale)} ┤${line.join("").trimEnd()}`;
    }),
    `  ${" ".repeat(scale)} └${"─".repeat(chartWidth)}`,
    `  ${" ".repeat(scale)}  ${day(points[0]?.at ?? "")}${day(points.at(-1)?.at ?? "").padStart(chartWidth - 10)}`,
  ];
}

/** The backtest for scripts, in the proto's field names. */
export function backtestJson(backtest: BacktestModelsResponse): string {
  return `${JSON.stringify(backtest, null, 2)}\n`;
}
