import { type BucketedCollections, openServiceCollections } from "@rapport/mongo";
import type { Db, Document } from "mongodb";

/** How many collections each bucketed kind of document is spread over (OFFER_STORE_BUCKETS). */
export type StoreLayout = { buckets: number };

/** A kind's collections, spread over the layout's buckets by a hash of the key. */
export const openStoreCollections = <T extends Document>(
  db: Db,
  name: string,
  layout: StoreLayout,
): Promise<BucketedCollections<T>> =>
  openServiceCollections<T>(db, name, layout.buckets, {
    service: "offer",
    bucketsVariable: "OFFER_STORE_BUCKETS",
    databaseVariable: "OFFER_DATABASE",
  });
