import { type BucketedCollections, BucketLayoutMismatch, openBucketedCollections } from "@rapport/mongo";
import type { Db, Document } from "mongodb";

/** How many collections each bucketed kind of document is spread over (OFFER_STORE_BUCKETS). */
export type StoreLayout = { buckets: number };

/**
 * A kind's collections, spread over the layout's buckets by a hash of the key. A database built with
 * another count is refused, naming the setting: a document's bucket depends on the count.
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
      `offer's database ${db.databaseName} keeps ${name} in ${error.recordedBuckets} ` +
        `${error.recordedBuckets === 1 ? "collection" : "collections"}, not ${error.requestedBuckets}: ` +
        `set OFFER_STORE_BUCKETS=${error.recordedBuckets}; a different count needs a new OFFER_DATABASE ` +
        "(or `rapport replay offer` into the next version)",
      { cause: error },
    );
  }
}
