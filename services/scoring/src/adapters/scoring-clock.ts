import { type Db, MongoServerError } from "mongodb";

type ClockReading = { _id: string; asOf: string };

/**
 * The scoring time every instance agrees on: the latest clock tick or model fit handled. A customer
 * whose events arrive later is scored at least as of it, so a replay that meets the ticks before
 * a customer's events scores that customer as of the same time as the live service did. Only the
 * latest readings are kept.
 */
export function createScoringClock(db: Db) {
  const readings = db.collection<ClockReading>("scoring_clock");
  return {
    async advance(asOf: string, causeEventId: string): Promise<void> {
      try {
        await readings.insertOne({ _id: causeEventId, asOf });
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
      }
      await readings.deleteMany({ asOf: { $lt: asOf } });
    },

    /** The latest reading (epoch ms, and the tick or fit that set it); undefined before the first. */
    async now(): Promise<{ asOf: number; causeEventId: string } | undefined> {
      const all = await readings.find({}).toArray();
      const latest = all.sort(
        (a, b) => Date.parse(b.asOf) - Date.parse(a.asOf) || (a._id < b._id ? 1 : -1),
      )[0];
      return latest && { asOf: Date.parse(latest.asOf), causeEventId: latest._id };
    },
  };
}

export type ScoringClock = ReturnType<typeof createScoringClock>;
