export type ProgressOutput = { write(text: string): unknown; isTTY?: boolean };

export type ProgressReporterOptions = {
  output: ProgressOutput;
  /** Milliseconds, e.g. performance.now. */
  clock: () => number;
  /** A log (not a terminal) gets a line this often. */
  logIntervalMs?: number;
};

// A terminal is redrawn often enough to look alive, not on every row.
const redrawIntervalMs = 100;

/**
 * The progress line on stderr: redrawn in place on a terminal, a line every few seconds in a log.
 * `update` takes a function so the line is only formatted when it is shown.
 */
export function createProgressReporter({ output, clock, logIntervalMs = 5_000 }: ProgressReporterOptions) {
  const isTerminal = output.isTTY === true;
  const interval = isTerminal ? redrawIntervalMs : logIntervalMs;
  let shownAt = clock();
  let shownAny = false;

  const show = (line: string) => {
    output.write(isTerminal ? `\r${line}\u001b[K` : `${line}\n`);
    shownAny = true;
  };

  return {
    update(line: () => string): void {
      const now = clock();
      if (now - shownAt < interval) return;
      shownAt = now;
      show(line());
    },
    /** The final state, and the terminal's cursor back on a line of its own. */
    finish(line: string): void {
      if (isTerminal) {
        show(line);
        output.write("\n");
      } else if (shownAny) {
        show(line);
      }
    },
  };
}

export type ProgressReporter = ReturnType<typeof createProgressReporter>;
