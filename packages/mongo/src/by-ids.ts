import type {
  AnyBulkWriteOperation,
  Collection,
  Document,
  Filter,
  OptionalUnlessRequiredId,
  WithId,
} from "mongodb";
import type { BucketedCollections } from "./bucketed-collections.js";
import { insertMissing } from "./insert-missing.js";

/**
 * How many ids one `$in` names and how many writes one bulk command carries: the store serves an
 * `_id` `$in` list from its index (the project's FerretDB build and MongoDB alike), and a bounded
 * command keeps each round trip short.
 */
export const idsPerCommand = 500;

/** A kind's documents: in one collection, or spread over buckets. */
export type KindCollections<T extends Document> = Collection<T> | BucketedCollections<T>;

function bucketsOf<T extends Document>(collections: KindCollections<T>): BucketedCollections<T> {
  return "of" in collections ? collections : { of: () => collections, all: [collections] };
}

/**
 * The stored documents of these ids (duplicates and missing ids are fine), read with `_id` `$in`
 * lists of at most `idsPerCommand`, each bucket's ids from its own collection, all at once.
 */
export async function findByIds<T extends Document & { _id: string }>(
  kind: KindCollections<T>,
  ids: Iterable<string>,
): Promise<WithId<T>[]> {
  const collections = bucketsOf(kind);
  const byCollection = groupBy(new Set(ids), (id) => collections.of(id));
  const reads: Promise<WithId<T>[]>[] = [];
  for (const [collection, listed] of byCollection) {
    for (const chunk of chunksOf(listed, idsPerCommand))
      reads.push(collection.find({ _id: { $in: chunk } } as Filter<T>).toArray());
  }
  return (await Promise.all(reads)).flat();
}

/** Writes the operations in bulk commands of at most `idsPerCommand`, in order, each bucket's to its collection. */
export async function bulkWriteByIds<T extends Document & { _id: string }>(
  kind: KindCollections<T>,
  operations: readonly { id: string; operation: AnyBulkWriteOperation<T> }[],
): Promise<void> {
  const collections = bucketsOf(kind);
  const byCollection = groupBy(operations, ({ id }) => collections.of(id));
  await Promise.all(
    [...byCollection].map(async ([collection, listed]) => {
      for (const chunk of chunksOf(listed, idsPerCommand))
        await collection.bulkWrite(
          chunk.map(({ operation }) => operation),
          { ordered: true },
        );
    }),
  );
}

/**
 * Inserts the documents whose `_id` is not stored yet, in commands of at most `idsPerCommand`, each
 * bucket's into its collection; returns the ids that were stored already.
 */
export async function insertMissingByIds<T extends Document & { _id: string }>(
  kind: KindCollections<T>,
  documents: readonly OptionalUnlessRequiredId<T>[],
): Promise<Set<string>> {
  const collections = bucketsOf(kind);
  const byCollection = groupBy(documents, (document) => collections.of(String(document._id)));
  const present = new Set<string>();
  await Promise.all(
    [...byCollection].map(async ([collection, listed]) => {
      for (const chunk of chunksOf(listed, idsPerCommand)) {
        for (const index of await insertMissing(collection, chunk)) present.add(String(chunk[index]?._id));
      }
    }),
  );
  return present;
}

function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const listed = groups.get(key);
    if (listed === undefined) groups.set(key, [item]);
    else listed.push(item);
  }
  return groups;
}

export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
