import {
  type BucketedCollections,
  BucketLayoutMismatch,
  type IndexDeclaration,
  openBucketedCollections,
} from "@rapport/mongo";
import type { Db, Document, Filter, IndexSpecification } from "mongodb";

/** How many collections each kind of document is spread over (IDENTITY_STORE_BUCKETS). */
export type StoreLayout = { buckets: number };

/**
 * A kind's collections, spread over the layout's buckets by a hash of the key (FerretDB reads a whole
 * collection for every query, even by `_id`). A database built with another count is refused, naming
 * the setting: a document's bucket depends on the count.
 */
export async function openStoreCollections<T extends Document>(
  db: Db,
  name: string,
  layout: StoreLayout,
): Promise<BucketedCollections<T>> {
  try {
    return await openBucketedCollections<T>(db, name, layout.buckets);
  } catch (error) {
    if (!(error instanceof BucketLayoutMismatch)) throw error;
    throw new Error(
      `identity's database ${db.databaseName} keeps ${name} in ${error.recordedBuckets} ` +
        `${error.recordedBuckets === 1 ? "collection" : "collections"}, not ${error.requestedBuckets}: ` +
        `set IDENTITY_STORE_BUCKETS=${error.recordedBuckets}; a different count needs a new IDENTITY_DATABASE`,
      { cause: error },
    );
  }
}

/** The same index on every bucket of a kind. */
export function inEveryBucket<T extends Document>(
  buckets: BucketedCollections<T>,
  keys: IndexSpecification,
  name: string,
): IndexDeclaration[] {
  return buckets.all.map((bucket) => ({ collection: bucket.collectionName, keys, options: { name } }));
}

/** The documents matching `filter` in all the buckets of a kind. */
export async function countInEveryBucket<T extends Document>(
  buckets: BucketedCollections<T>,
  filter: Filter<T>,
): Promise<number> {
  const counts = await Promise.all(buckets.all.map((bucket) => bucket.countDocuments(filter)));
  return counts.reduce((sum, count) => sum + count, 0);
}
