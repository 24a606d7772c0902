/** The command line was wrong (an unknown option, a bad --map): exit 64 after saying how to call it. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The command cannot go on (file missing, ingestion unreachable, write key refused): exit 1. */
export class FatalError extends Error {
  override readonly name = "FatalError";
}
