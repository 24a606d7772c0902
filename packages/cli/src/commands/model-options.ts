import { UsageError } from "../cli-errors.js";
import type { CommandIo } from "../command.js";
import { instantOption, parseCommandLine } from "./command-line.js";
import { addressOption, serviceAddress } from "./service-address.js";

/** What `rapport model` does: show or fit scoring's population model, or backtest its purchase models. */
export const modelKinds = ["scoring", "backtest"] as const;
export type ModelKind = (typeof modelKinds)[number];

type CommonOptions = {
  scoringAddress: string;
  /** Print JSON for scripts instead of text for people. */
  json: boolean;
};

export type ModelOptions =
  | (CommonOptions & {
      kind: "scoring";
      /** Fit the model (now, or as of `asOf`) instead of showing the one in force. */
      refit: boolean;
      /** The model in force at this instant (ISO), or the one to fit as of it; absent: now. */
      asOf?: string;
    })
  | (CommonOptions & {
      kind: "backtest";
      /** ISO instants: fit up to the calibration end, compare up to the holdout end. */
      calibrationEnd: string;
      holdoutEnd: string;
      /** The purchase-count models to backtest; empty for every one. */
      models: string[];
    });

/** Reads `rapport model` arguments, with the environment's defaults; a mistake is a UsageError. */
export function parseModelOptions(args: readonly string[], io: Pick<CommandIo, "env">): ModelOptions {
  const { values, positionals } = parseCommandLine(args, {
    ...addressOption("scoring"),
    json: { type: "boolean" },
    refit: { type: "boolean" },
    "as-of": { type: "string" },
    "calibration-end": { type: "string" },
    "holdout-end": { type: "string" },
    models: { type: "string" },
  });
  const [kind, ...extra] = positionals;
  if (kind === undefined || extra.length > 0) {
    throw new UsageError(`give what to show: rapport model <${modelKinds.join("|")}>`);
  }
  if (!isModelKind(kind)) {
    throw new UsageError(`no model of "${kind}"; choose one of ${modelKinds.join(", ")}`);
  }
  const common = { scoringAddress: serviceAddress("scoring", values, io), json: values.json ?? false };
  const onlyFor = (options: readonly string[], command: string) => {
    const given = options.filter((option) => values[option as keyof typeof values] !== undefined);
    if (given.length > 0)
      throw new UsageError(`--${given.join(", --")} is not an option of rapport model ${command}`);
  };
  if (kind === "scoring") {
    onlyFor(["calibration-end", "holdout-end", "models"], "scoring");
    const asOf = instantOption("as-of", values["as-of"]);
    return { kind, ...common, refit: values.refit ?? false, ...(asOf === undefined ? {} : { asOf }) };
  }
  onlyFor(["refit", "as-of"], "backtest");
  const calibrationEnd = instantOption("calibration-end", values["calibration-end"]);
  const holdoutEnd = instantOption("holdout-end", values["holdout-end"]);
  if (calibrationEnd === undefined || holdoutEnd === undefined)
    throw new UsageError("give the period: --calibration-end <day> --holdout-end <day>");
  if (holdoutEnd <= calibrationEnd) throw new UsageError("--holdout-end must be after --calibration-end");
  const models = (values.models ?? "")
    .split(",")
    .map((model) => model.trim())
    .filter((model) => model !== "");
  return { kind, ...common, calibrationEnd, holdoutEnd, models };
}

function isModelKind(value: string): value is ModelKind {
  return (modelKinds as readonly string[]).includes(value);
}
