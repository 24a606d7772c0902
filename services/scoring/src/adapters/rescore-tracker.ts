/**
 * Which clock ticks and model fits this writer handled, in order, so that a rescoring asked for by
 * one that a later one (as of the same time or later) supersedes is left to the later one: that one
 * lists every customer again when its turn comes (a superset: customers are never removed) and rescores
 * them with the model in force then. A replay meets every tick of the log before the rescorings they
 * asked for (those are appended at the end of crm.scoring), so it rescores once, not once per tick.
 * Kept in memory only: after a restart nothing is superseded and every rescoring runs (harmless: a
 * customer already scored as of a time with the model in force is left as it is).
 */
export function createRescoreTracker(remembered = 1_000) {
  const handled: { eventId: string; asOf: number }[] = [];
  return {
    handled(eventId: string, asOf: string): void {
      const known = handled.findIndex((entry) => entry.eventId === eventId);
      if (known >= 0) handled.splice(known, 1);
      handled.push({ eventId, asOf: Date.parse(asOf) });
      if (handled.length > remembered) handled.shift();
    },

    isSuperseded(cause: { eventId: string; asOf: string }): boolean {
      const known = handled.findIndex((entry) => entry.eventId === cause.eventId);
      if (known < 0) return false;
      const asOf = Date.parse(cause.asOf);
      return handled.slice(known + 1).some((later) => later.asOf >= asOf);
    },
  };
}

export type RescoreTracker = ReturnType<typeof createRescoreTracker>;
