import { findByIds, insertMissing } from "@rapport/mongo";
import type { Db } from "mongodb";

/** A claim to append an event, made by the raw message (topic/partition/offset/unit) that carried it. */
export type AppendClaim = { eventId: string; origin: string };

type EventMark = { _id: string; origin: string };

const collectionName = "appended_events";

/**
 * Remembers which raw message first carried each event id, so that an event is appended once however
 * often upstream sends it. The claim is written before the append transaction commits; if that
 * transaction aborts, Kafka redelivers the same raw message, whose origin matches its claim, and it is
 * appended then. A different message carrying the same id is a duplicate. One insert per part, and
 * for the ids claimed already one read of their marks by `_id`.
 */
export function createEventMarks(db: Db) {
  const marks = db.collection<EventMark>(collectionName);

  return {
    /** The claims that own their event id: the ones to append. */
    async claim(claims: readonly AppendClaim[]): Promise<AppendClaim[]> {
      if (claims.length === 0) return [];
      const taken = await insertClaims(claims);
      // Someone holds these ids: this message itself before a crash, or another message (a duplicate).
      const holders = new Map<string, string>();
      if (taken.size > 0) {
        const ids = [...taken].map((index) => (claims[index] as AppendClaim).eventId);
        for (const mark of await findByIds(marks, ids)) holders.set(mark._id, mark.origin);
      }
      return claims.filter(
        (claim, index) => !taken.has(index) || holders.get(claim.eventId) === claim.origin,
      );
    },
  };

  /** Inserts every claim; returns the positions of those whose id was already claimed. */
  async function insertClaims(claims: readonly AppendClaim[]): Promise<Set<number>> {
    return insertMissing(
      marks,
      claims.map((claim) => ({ _id: claim.eventId, origin: claim.origin })),
    );
  }
}

export type EventMarks = ReturnType<typeof createEventMarks>;
