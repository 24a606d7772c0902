import type { Command } from "../command.js";
import { exitCodes } from "../exit-codes.js";
import { createScoringClient } from "../io/scoring-client.js";
import { backtestJson, backtestText } from "../model/backtest-text.js";
import { populationModelJson, populationModelText } from "../model/population-model-text.js";
import { parseModelOptions } from "./model-options.js";
import { defaultScoringAddress } from "./service-address.js";

const usage = `Usage: rapport model scoring [options]
       rapport model backtest --calibration-end <time> --holdout-end <time> [options]

Prints the population model scoring scores with (CustomerService.GetModel): when it was fitted
and on how many customers, the RFM quintile breakpoints, the segment grid's thresholds, and the
lifetime-value fits: the purchase-count model (BG/NBD, MBG/NBD or Pareto/NBD, as scoring's
SCORING_PURCHASE_MODEL says) and Gamma-Gamma (parameters, log-likelihood, customers, iterations,
whether the optimiser converged). Amounts are minor units of scoring's SCORING_CURRENCY.

Options:
  --as-of <time>          the model in force at that time (the latest fitted as of it or before);
                          with --refit, fit as of that time. A day (2025-07-01, midnight UTC) or
                          an RFC 3339 time (2025-07-01T09:00:00+09:00)
  --refit                 fit the model now (CustomerService.RefitModels) and print it; with
                          --as-of, fit it on the events up to that time only, measuring every
                          customer's age, recency, frequency and spend to it, and keep it as the
                          model of that time (GetCustomer as of a later time scores with it)
  --scoring <host:port>   scoring's gRPC address
                          (default $SCORING_GRPC_ADDRESS, else ${defaultScoringAddress})
  --json                  print the model as JSON (the proto's field names; a fit not made is null)
  -h, --help              show this help

rapport model backtest fits every purchase-count model (or those of --models) on the purchases
up to the calibration end, by the customers who first bought by then, predicts each customer's
purchases and spend up to the holdout end and compares with what happened
(CustomerService.BacktestModels): total holdout repeat purchases and spend predicted against
actual (% error) and the mean absolute error per customer, the mean holdout purchases by
calibration repeat purchases (0, 1, ..., 7+), and the weekly cumulative repeat purchases as a
table and a chart. Scoring keeps the latest backtest: with SCORING_PURCHASE_MODEL=auto its fits
use the model that came closest.

Backtest options:
  --calibration-end <time>  the end of the calibration period (a day or an RFC 3339 time)
  --holdout-end <time>      the end of the holdout period: after the calibration end, not after now
  --models <list>           comma-separated: bg-nbd, mbg-nbd, pareto-nbd (default: all)

Scoring fits a model on its schedule (every SCORING_REFIT_MINUTES, as of the time of the fit)
and when asked; until the first fit there is none to show.

Exit codes: 0 printed; 1 scoring unreachable, without a model (of that time) yet, or the fit
refused; 64 wrong command line.

Examples:
  rapport model scoring --json > model.json
  rapport model scoring --refit --as-of 2025-07-01
  rapport model backtest --calibration-end 2025-07-01 --holdout-end 2026-01-01
`;

export const modelCommand: Command = {
  name: "model",
  summary: "show, fit or backtest scoring's population model: RFM, grid thresholds, lifetime-value fits",
  usage,
  async run(args, io) {
    const options = parseModelOptions(args, io);
    const client = createScoringClient({ address: options.scoringAddress });
    try {
      if (options.kind === "backtest") {
        const backtest = await client.backtestModels(
          options.calibrationEnd,
          options.holdoutEnd,
          options.models,
        );
        io.stdout.write(options.json ? backtestJson(backtest) : backtestText(backtest));
        return exitCodes.ok;
      }
      const model = options.refit
        ? await client.refitModels(options.asOf)
        : await client.getModel(options.asOf);
      io.stdout.write(options.json ? populationModelJson(model) : populationModelText(model));
      return exitCodes.ok;
    } finally {
      client.close();
    }
  },
};
