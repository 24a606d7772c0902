import { parseArgs } from "node:util";
import { UsageError } from "../cli-errors.js";
import type { CommandIo } from "../command.js";

/** Whose model `rapport model` shows: the services that fit a population model. */
export const modelKinds = ["scoring"] as const;
export type ModelKind = (typeof modelKinds)[number];

export type ModelOptions = {
  kind: ModelKind;
  scoringAddress: string;
  /** Print JSON for scripts instead of text for people. */
  json: boolean;
};

export const defaultScoringAddress = "127.0.0.1:50053";

/** Reads `rapport model` arguments, with the environment's defaults; a mistake is a UsageError. */
export function parseModelOptions(args: readonly string[], { env }: Pick<CommandIo, "env">): ModelOptions {
  const { values, positionals } = parseCommandLine(args);
  const [kind, ...extra] = positionals;
  if (kind === undefined || extra.length > 0) {
    throw new UsageError(`give whose model to show: rapport model <${modelKinds.join("|")}>`);
  }
  if (!isModelKind(kind)) {
    throw new UsageError(`no model of "${kind}"; choose one of ${modelKinds.join(", ")}`);
  }
  const scoringAddress = (values.scoring ?? env.SCORING_GRPC_ADDRESS ?? defaultScoringAddress).trim();
  if (!/^\S+:\d+$/.test(scoringAddress)) {
    throw new UsageError(
      `scoring's address "${scoringAddress}" is not host:port, e.g. ${defaultScoringAddress}`,
    );
  }
  return { kind, scoringAddress, json: values.json ?? false };
}

function isModelKind(value: string): value is ModelKind {
  return (modelKinds as readonly string[]).includes(value);
}

function parseCommandLine(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        scoring: { type: "string" },
        json: { type: "boolean" },
      },
    });
  } catch (error) {
    // parseArgs explains unknown options and missing values well; it only needs to be a usage error.
    throw new UsageError((error as Error).message);
  }
}
