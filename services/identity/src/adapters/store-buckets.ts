import { type BucketedCollections, type IndexDeclaration, openServiceCollections } from "@rapport/mongo";
import type { Db, Document, Filter, IndexSpecification } from "mongodb";

/** How many collections each kind of document is spread over (IDENTITY_STORE_BUCKETS). */
export type StoreLayout = { buckets: number };

/** A kind's collections, spread over the layout's buckets by a hash of the key. */
export const openStoreCollections = <T extends Document>(
  db: Db,
  name: string,
  layout: StoreLayout,
): Promise<BucketedCollections<T>> =>
  openServiceCollections<T>(db, name, layout.buckets, {
    service: "identity",
    bucketsVariable: "IDENTITY_STORE_BUCKETS",
    databaseVariable: "IDENTITY_DATABASE",
  });

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
