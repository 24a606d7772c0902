/**
 * An expected failure of the local infrastructure: a missing tool, a taken port, a broker that
 * never answered. Its message is written for a person and fits on one line; the CLI prints only
 * the message, so anything else worth knowing (a log file) belongs in it.
 */
export class InfraError extends Error {
  override readonly name = "InfraError";
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
