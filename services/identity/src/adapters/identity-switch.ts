import type { Db } from "mongodb";

/** A replay's request that identity stop deciding while it brings the rebuilt graph up to the log's end. */
export type PendingSwitch = { to: number; since: Date; until: Date };

type SwitchDocument = PendingSwitch & { _id: "switch" };

/**
 * The hand-over between a replay and the running deciders, kept in identity's base database. The
 * replay begins a switch to the version it built. A decider looks before it decides a part of a
 * partition, and waits while a switch is pending; it looks again before it publishes the part, and
 * withdraws the part (to decide it again later) when a switch began meanwhile. The replay folds
 * what was published until then, activates the new version and ends the switch; the deciders go on,
 * on the new build. A switch expires at `until`, so a replay that died leaves nobody waiting.
 */
export function createIdentitySwitch(baseDb: Db) {
  const switches = baseDb.collection<SwitchDocument>("identity_switch");
  return {
    async begin(to: number, since: Date, until: Date): Promise<void> {
      await switches.replaceOne({ _id: "switch" }, { to, since, until }, { upsert: true });
    },

    /** The switch pending now, if one is and has not expired. */
    async pending(now: Date): Promise<PendingSwitch | undefined> {
      const found = await switches.findOne({ _id: "switch" });
      if (found === null || found.until.getTime() <= now.getTime()) return undefined;
      return { to: found.to, since: found.since, until: found.until };
    },

    async end(): Promise<void> {
      await switches.deleteOne({ _id: "switch" });
    },
  };
}

export type IdentitySwitch = ReturnType<typeof createIdentitySwitch>;
