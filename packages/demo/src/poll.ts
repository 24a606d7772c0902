import { type ProgressOutput, progressLine } from "./progress-line.js";

const longestWaitMs = 60_000;

export type Poll<T> = {
  /** What is awaited, for the progress line and the timeout message. */
  what: string;
  /** One look: the state now, whether it is what is awaited, and a progress line describing it. */
  look: () => Promise<{ done: boolean; state: T; progress: string }>;
  timeoutMs: number;
  intervalMs?: number;
  output: ProgressOutput;
};

/**
 * Looks until the awaited state arrives, showing each look's progress line; at the deadline it throws
 * an error naming what did not arrive and the last state seen. A slow look is one the platform pays
 * for (a segment report reads every customer): the wait after it is nine times as long, so that
 * looking takes a tenth of the platform's time, but never more than a minute.
 */
export async function pollUntil<T>({
  what,
  look,
  timeoutMs,
  intervalMs = 3_000,
  output,
}: Poll<T>): Promise<T> {
  const reporter = progressLine(output, 10_000);
  const started = performance.now();
  let last = "nothing answered yet";
  for (;;) {
    const lookStarted = performance.now();
    const seen = await look();
    const lookMs = performance.now() - lookStarted;
    const elapsed = Math.round((performance.now() - started) / 1_000);
    last = seen.progress;
    if (seen.done) {
      reporter.finish(`${what}: ${last} (${elapsed} s)`);
      return seen.state;
    }
    reporter.update(() => `${what}: ${last} (${elapsed} s)`);
    if (performance.now() - started > timeoutMs)
      throw new Error(
        `gave up waiting for ${what} after ${Math.round(timeoutMs / 60_000)} min; last seen: ${last}`,
      );
    const waitMs = Math.max(intervalMs, Math.min(9 * lookMs, longestWaitMs));
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}
