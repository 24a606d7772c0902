/**
 * Microseconds on the machine's monotonic clock: the clock V8 stamps CPU profile samples with, so
 * a window measured here selects the samples of another process's profile.
 */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export type MonotonicWindow = { startUs: number; endUs: number };
