import { UsageError } from "../cli-errors.js";
import type { CommandIo } from "../command.js";
import { parseCommandLine } from "./command-line.js";
import { addressOption, serviceAddress } from "./service-address.js";

/** Whose model `rapport model` shows: the services that fit a population model. */
export const modelKinds = ["scoring"] as const;
export type ModelKind = (typeof modelKinds)[number];

export type ModelOptions = {
  kind: ModelKind;
  scoringAddress: string;
  /** Print JSON for scripts instead of text for people. */
  json: boolean;
};

/** Reads `rapport model` arguments, with the environment's defaults; a mistake is a UsageError. */
export function parseModelOptions(args: readonly string[], io: Pick<CommandIo, "env">): ModelOptions {
  const { values, positionals } = parseCommandLine(args, {
    ...addressOption("scoring"),
    json: { type: "boolean" },
  });
  const [kind, ...extra] = positionals;
  if (kind === undefined || extra.length > 0) {
    throw new UsageError(`give whose model to show: rapport model <${modelKinds.join("|")}>`);
  }
  if (!isModelKind(kind)) {
    throw new UsageError(`no model of "${kind}"; choose one of ${modelKinds.join(", ")}`);
  }
  return { kind, scoringAddress: serviceAddress("scoring", values, io), json: values.json ?? false };
}

function isModelKind(value: string): value is ModelKind {
  return (modelKinds as readonly string[]).includes(value);
}
