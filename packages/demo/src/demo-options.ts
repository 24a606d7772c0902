import { parseArgs } from "node:util";

export type DemoOptions = { customers: number; months: number; seed: number; timeoutMinutes: number };

export const demoUsage = `npm run demo -- [--customers N] [--months M] [--seed S] [--timeout-minutes T]

  --customers N        people in the synthetic company (default 5000)
  --months M           months of history ending now (default 18)
  --seed S             seed of the generator: the same seed gives the same company (default 1)
  --timeout-minutes T  how long to wait for the platform to fold the events (default 60)

Needs the platform running: start it with \`npm start\` in another terminal first.`;

function positiveInteger(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > max)
    throw new Error(`--${name} must be a whole number from 1 to ${max}, got ${JSON.stringify(value)}`);
  return parsed;
}

/** The demo's command-line options; a bad one throws an error saying which and what is allowed. */
export function parseDemoOptions(args: readonly string[]): DemoOptions | "help" {
  const { values } = parseArgs({
    args: [...args],
    options: {
      customers: { type: "string" },
      months: { type: "string" },
      seed: { type: "string" },
      "timeout-minutes": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return "help";
  return {
    customers: positiveInteger("customers", values.customers, 5_000, 1_000_000),
    months: positiveInteger("months", values.months, 18, 120),
    seed: positiveInteger("seed", values.seed, 1, 2 ** 31 - 1),
    timeoutMinutes: positiveInteger("timeout-minutes", values["timeout-minutes"], 60, 24 * 60),
  };
}
