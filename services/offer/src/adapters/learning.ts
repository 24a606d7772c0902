import type { Logger } from "@rapport/telemetry";
import { type ResponseCounts, responseCountsOf } from "../domain/offer-ranking.js";
import type { ContactHistories } from "./contact-histories.js";

/**
 * The response rates decisions rank by, learned from every presentation and response stored: one
 * pass over those (not over the customers' whole histories), kept in memory between passes. The
 * next pass starts `refreshMs` after the last one ended, so passes never run back to back.
 */
export function startLearning(contacts: ContactHistories, refreshMs: number, logger: Logger) {
  let counts: ResponseCounts = new Map();
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const learn = async () => {
    counts = responseCountsOf(await contacts.presentationsAndResponsesByCustomer());
  };
  /** Learns now, or waits for the pass already running. */
  const refresh = () => {
    running ??= learn().finally(() => {
      running = undefined;
    });
    return running;
  };
  const scheduleNext = () => {
    if (stopped) return;
    timer = setTimeout(
      () =>
        void refresh()
          .catch((error) => logger.error({ err: error }, "learning response rates failed"))
          .finally(scheduleNext),
      refreshMs,
    );
    timer.unref();
  };
  scheduleNext();

  return {
    counts: () => counts,
    refresh,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
