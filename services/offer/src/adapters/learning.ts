import type { Logger } from "@rapport/telemetry";
import type { ContactFact } from "../domain/contact-facts.js";
import { type ResponseCounts, responseCountsOf } from "../domain/offer-ranking.js";
import type { ContactHistories } from "./contact-histories.js";

/**
 * The response rates decisions rank by, learned again every `refreshMs` from every presentation
 * and response stored: one pass over the customers' facts, kept in memory between passes.
 */
export function startLearning(contacts: ContactHistories, refreshMs: number, logger: Logger) {
  let counts: ResponseCounts = new Map();
  let running: Promise<void> | undefined;

  const learn = async () => {
    const factsByCustomer: ContactFact[][] = [];
    for await (const [, facts] of contacts.all(["presentation", "response"])) factsByCustomer.push(facts);
    counts = responseCountsOf(factsByCustomer);
  };
  /** Learns now, or waits for the pass already running. */
  const refresh = () => {
    running ??= learn().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(
    () => refresh().catch((error) => logger.error({ err: error }, "learning response rates failed")),
    refreshMs,
  );
  timer.unref();

  return {
    counts: () => counts,
    refresh,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
