import { UsageError } from "../cli-errors.js";
import type { CommandIo } from "../command.js";
import { parseCommandLine } from "./command-line.js";
import { addressOption, serviceAddress } from "./service-address.js";

export type SegmentsOptions = { scoringAddress: string; json: boolean };

/** Reads `rapport segments` arguments, with the environment's defaults; a mistake is a UsageError. */
export function parseSegmentsOptions(args: readonly string[], io: Pick<CommandIo, "env">): SegmentsOptions {
  const { values, positionals } = parseCommandLine(args, {
    ...addressOption("scoring"),
    json: { type: "boolean" },
  });
  if (positionals.length > 0)
    throw new UsageError(`segments takes no arguments; did not expect ${positionals.join(" ")}`);
  return { scoringAddress: serviceAddress("scoring", values, io), json: values.json ?? false };
}
