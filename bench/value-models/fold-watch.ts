import type { ServiceProcess } from "@rapport/testing";
import { serviceCountersOf } from "../pipeline/service-counters.js";
import { type Log, sleep } from "../shared/progress.js";

export type FoldWatch = {
  /** When scoring had committed every order of crm.events.resolved with no lag left (performance.now()). */
  foldedAtMs: number;
};

/**
 * Waits until scoring's /metrics says it has folded `orders` records of crm.events.resolved (one per
 * accepted order: identity appends each event there once) and its consumer lag is 0. Fails when the
 * count stands still for `stallMs`, with the end of scoring's output.
 */
export async function waitForFold(
  scoring: ServiceProcess,
  resolvedTopic: string,
  orders: number,
  options: { stallMs: number; log: Log },
): Promise<FoldWatch> {
  let last = -1;
  let movedAtMs = performance.now();
  let loggedAtMs = 0;
  for (;;) {
    const counters = serviceCountersOf(await scoring.metrics());
    const folded = counters.consumed[resolvedTopic] ?? 0;
    const nowMs = performance.now();
    if (folded >= orders && counters.lag === 0) return { foldedAtMs: nowMs };
    if (folded !== last) {
      last = folded;
      movedAtMs = nowMs;
    } else if (nowMs - movedAtMs > options.stallMs) {
      throw new Error(
        `scoring has folded ${folded.toLocaleString("en")} of ${orders.toLocaleString("en")} orders and ` +
          `nothing moved for ${Math.round(options.stallMs / 60_000)} min; its output:\n${scoring.output().slice(-3_000)}`,
      );
    }
    if (nowMs - loggedAtMs >= 5_000) {
      loggedAtMs = nowMs;
      options.log(
        `  scoring has folded ${folded.toLocaleString("en")} of ${orders.toLocaleString("en")} orders ` +
          `(lag ${counters.lag.toLocaleString("en")})`,
      );
    }
    await sleep(250);
  }
}
