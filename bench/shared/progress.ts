export type Log = (line: string) => void;

/** Progress and status lines go to stderr; stdout carries only the results table. */
export const logToStderr: Log = (line) => {
  process.stderr.write(`${line}\n`);
};

/** A log that lets through at most one line per interval (and every line passed with force). */
export function throttled(log: Log, intervalMs = 2_000): (line: string, force?: boolean) => void {
  let lastMs = Number.NEGATIVE_INFINITY;
  return (line, force = false) => {
    const nowMs = performance.now();
    if (!force && nowMs - lastMs < intervalMs) return;
    lastMs = nowMs;
    log(line);
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
