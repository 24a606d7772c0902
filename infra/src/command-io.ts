/** Where a CLI command writes: `out` for results (endpoints, status), `err` for progress and warnings. */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
}

/** Exit code of `status` when something is not up, so scripts can tell it from a failure (1). */
export const EXIT_NOT_RUNNING = 3;
