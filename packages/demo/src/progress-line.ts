import { createProgressReporter, type ProgressReporter } from "@rapport/cli";

export type ProgressOutput = NodeJS.WritableStream & { isTTY?: boolean };

/**
 * The CLI's progress line (redrawn on a terminal, a line every few seconds in a log), whose last line
 * is always written: a demo step that ends within seconds still leaves its result in a log.
 */
export function progressLine(output: ProgressOutput, logIntervalMs = 5_000) {
  const reporter: ProgressReporter = createProgressReporter({
    output,
    clock: () => performance.now(),
    logIntervalMs,
  });
  return {
    update: reporter.update,
    finish(line: string): void {
      if (output.isTTY === true) reporter.finish(line);
      else output.write(`${line}\n`);
    },
  };
}
