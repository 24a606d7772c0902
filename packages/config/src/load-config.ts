import type { z } from "zod";

export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
}

/**
 * Validates the process environment against a service's schema once, at start. Every problem is
 * reported at once and names the environment variable, so an operator fixes them in one go.
 */
export function loadConfig<Schema extends z.ZodType>(
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
): z.output<Schema> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = issue.path.join(".") || "(environment)";
    const given = issue.path.length > 0 ? env[String(issue.path[0])] : undefined;
    const shown = given === undefined ? "" : ` (got ${JSON.stringify(given)})`;
    return `  ${variable}: ${issue.message}${shown}`;
  });
  throw new ConfigurationError(`Invalid configuration:\n${problems.join("\n")}`);
}
