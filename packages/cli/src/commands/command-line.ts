import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "../cli-errors.js";

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;
type StrictConfig<Options extends OptionsConfig> = {
  args: string[];
  allowPositionals: true;
  strict: true;
  options: Options;
};

/** A command's arguments read strictly with `options`; a mistake is a UsageError. */
export function parseCommandLine<Options extends OptionsConfig>(
  args: readonly string[],
  options: Options,
): ReturnType<typeof parseArgs<StrictConfig<Options>>> {
  try {
    return parseArgs({ args: [...args], allowPositionals: true, strict: true, options });
  } catch (error) {
    // parseArgs explains unknown options and missing values well; it only needs to be a usage error.
    throw new UsageError((error as Error).message);
  }
}

/** A whole number option from `min` to `max`; absent is `fallback`. */
export function wholeNumberOption(
  option: string,
  text: string | undefined,
  { min, max, fallback }: { min: number; max: number; fallback: number },
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min || value > max || text.trim() === "") {
    throw new UsageError(`--${option} "${text}" is not a whole number from ${min} to ${max}`);
  }
  return value;
}

/** The one positional argument a command takes, or a UsageError saying what to give. */
export function onePositional(positionals: readonly string[], what: string): string {
  const [only, ...extra] = positionals;
  if (only === undefined) throw new UsageError(`give ${what}`);
  if (extra.length > 0) throw new UsageError(`give only ${what}; did not expect ${extra.join(" ")}`);
  return only;
}

/**
 * An instant option: an ISO 8601 time (2026-03-01T09:30:00Z) or a calendar day (2026-03-01, its
 * midnight UTC), as an ISO string; absent is undefined.
 */
export function instantOption(option: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const instant = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(instant.getTime())) {
    throw new UsageError(
      `--${option} "${text}" is not an ISO 8601 time, e.g. 2026-03-01 or 2026-03-01T09:30:00Z`,
    );
  }
  return instant.toISOString();
}
