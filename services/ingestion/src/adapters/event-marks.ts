import type { Db, MongoBulkWriteError } from "mongodb";

/** A claim to append an event, made by the raw message (topic/partition/offset/unit) that carried it. */
export type AppendClaim = { eventId: string; origin: string };

type EventMark = { _id: string; origin: string };

const collectionName = "appended_events";

/**
 * Remembers which raw message first carried each event id, so that an event is appended once however
 * often upstream sends it. The claim is written before the append transaction commits; if that
 * transaction aborts, Kafka redelivers the same raw message, whose origin matches its claim, and it is
 * appended then. A different message carrying the same id is a duplicate.
 */
export function createEventMarks(db: Db) {
  const marks = db.collection<EventMark>(collectionName);

  async function originsOf(eventIds: readonly string[]): Promise<Map<string, string>> {
    const found = await marks.find({ _id: { $in: [...eventIds] } }).toArray();
    return new Map(found.map((mark) => [mark._id, mark.origin]));
  }

  return {
    /** The claims that own their event id: the ones to append. */
    async claim(claims: readonly AppendClaim[]): Promise<AppendClaim[]> {
      if (claims.length === 0) return [];
      let origins = await originsOf(claims.map((claim) => claim.eventId));
      const unclaimed = claims.filter((claim) => !origins.has(claim.eventId));
      if (unclaimed.length > 0) {
        try {
          await marks.insertMany(
            unclaimed.map((claim) => ({ _id: claim.eventId, origin: claim.origin })),
            { ordered: false },
          );
        } catch (error) {
          // Another instance claimed some of the ids first; whoever's claim is stored owns the id.
          if (!isDuplicateKeyOnly(error)) throw error;
        }
        origins = await originsOf(claims.map((claim) => claim.eventId));
      }
      return claims.filter((claim) => origins.get(claim.eventId) === claim.origin);
    },
  };
}

export type EventMarks = ReturnType<typeof createEventMarks>;

function isDuplicateKeyOnly(error: unknown): boolean {
  const writeErrors = (error as MongoBulkWriteError).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  return list.length > 0 && list.every((writeError) => writeError.code === 11000);
}
