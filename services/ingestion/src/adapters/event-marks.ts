import { insertMissing } from "@rapport/mongo";
import type { Db } from "mongodb";

/** A claim to append an event, made by the raw message (topic/partition/offset/unit) that carried it. */
export type AppendClaim = { eventId: string; origin: string };

type EventMark = { _id: string; origin: string };

const collectionName = "appended_events";

/**
 * Remembers which raw message first carried each event id, so that an event is appended once however
 * often upstream sends it. The claim is written before the append transaction commits; if that
 * transaction aborts, Kafka redelivers the same raw message, whose origin matches its claim, and it is
 * appended then. A different message carrying the same id is a duplicate.
 *
 * Only equality lookups on _id: FerretDB answers those from the index, while `$in` would scan.
 */
export function createEventMarks(db: Db) {
  const marks = db.collection<EventMark>(collectionName);

  return {
    /** The claims that own their event id: the ones to append. */
    async claim(claims: readonly AppendClaim[]): Promise<AppendClaim[]> {
      if (claims.length === 0) return [];
      const taken = await insertClaims(claims);
      const owned: AppendClaim[] = [];
      for (const [index, claim] of claims.entries()) {
        if (!taken.has(index)) {
          owned.push(claim);
          continue;
        }
        // Someone holds this id: this message itself before a crash, or another message (a duplicate).
        const mark = await marks.findOne({ _id: claim.eventId });
        if (mark?.origin === claim.origin) owned.push(claim);
      }
      return owned;
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
