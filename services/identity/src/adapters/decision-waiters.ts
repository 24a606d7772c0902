import type { DecisionOutcome, PersonDecision } from "../domain/person-decisions.js";

/** A request waiting for the writer to apply the decision it logged. */
export type DecisionWaiter = {
  /** The decision's outcome, or undefined when it did not come within `timeoutMs`. */
  outcome(timeoutMs: number): Promise<DecisionOutcome | undefined>;
  /** Stops waiting (the decision could not be logged, or the answer is given). */
  forget(): void;
};

/**
 * The requests of this instance waiting for the graph writer to apply the decisions they logged, by
 * request (a decision's id and time). A request starts waiting before its decision is appended, so
 * that an outcome coming at once is not missed.
 */
export function createDecisionWaiters() {
  const waiting = new Map<string, Set<(outcome: DecisionOutcome) => void>>();
  const requestOf = (decision: PersonDecision) => `${decision.eventId}@${decision.time}`;

  return {
    expect(decision: PersonDecision): DecisionWaiter {
      const request = requestOf(decision);
      let settle: (outcome: DecisionOutcome) => void = () => undefined;
      const settled = new Promise<DecisionOutcome>((resolve) => {
        settle = resolve;
      });
      const waiters = waiting.get(request) ?? new Set();
      waiters.add(settle);
      waiting.set(request, waiters);
      const forget = () => {
        waiters.delete(settle);
        if (waiters.size === 0 && waiting.get(request) === waiters) waiting.delete(request);
      };
      return {
        async outcome(timeoutMs) {
          let timer: NodeJS.Timeout | undefined;
          const timedOut = new Promise<undefined>((resolve) => {
            timer = setTimeout(resolve, timeoutMs, undefined);
          });
          try {
            return await Promise.race([settled, timedOut]);
          } finally {
            clearTimeout(timer);
          }
        },
        forget,
      };
    },

    /** Answers the requests waiting for this decision. */
    settle(decision: PersonDecision, outcome: DecisionOutcome): void {
      for (const settle of waiting.get(requestOf(decision)) ?? []) settle(outcome);
    },
  };
}

export type DecisionWaiters = ReturnType<typeof createDecisionWaiters>;
