import type { Collection, Document, MongoBulkWriteError, OptionalUnlessRequiredId } from "mongodb";

const duplicateKey = 11000;

/**
 * Inserts every document whose `_id` is not stored yet and returns the positions of those that
 * were: the idempotent write of facts keyed by the event they came from (a redelivered batch
 * inserts nothing twice). Any other write error is thrown.
 */
export async function insertMissing<T extends Document>(
  collection: Collection<T>,
  documents: readonly OptionalUnlessRequiredId<T>[],
): Promise<Set<number>> {
  if (documents.length === 0) return new Set();
  try {
    await collection.insertMany([...documents], { ordered: false });
    return new Set();
  } catch (error) {
    const writeErrors = (error as MongoBulkWriteError).writeErrors;
    const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
    if (list.length === 0 || list.some((writeError) => writeError.code !== duplicateKey)) throw error;
    return new Set(list.map((writeError) => writeError.index));
  }
}
