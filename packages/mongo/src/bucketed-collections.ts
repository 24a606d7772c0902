import { createHash } from "node:crypto";
import { type Collection, type Db, type Document, MongoServerError } from "mongodb";

/**
 * The documents of one kind spread over several collections, chosen by a hash of a key. FerretDB on
 * SQLite reads a whole collection for every query, even one by `_id` (docs/benchmarks.md, "Document
 * store"), so many small collections keep every lookup to a few documents. On MongoDB one indexed
 * collection is right: open it with one bucket.
 */
export type BucketedCollections<T extends Document> = {
  /** The collection holding the documents of this key (the _id, or another key the caller routes by). */
  of(key: string): Collection<T>;
  /** Every bucket, for scans and counts. */
  readonly all: readonly Collection<T>[];
};

/** Where each bucketed kind's bucket count is recorded, one document per kind: `{_id: name, buckets}`. */
export const bucketLayoutsCollection = "bucket_layouts";

/** Four hex digits name a bucket. */
export const maxBuckets = 0x10000;

type BucketLayout = { _id: string; buckets: number };

const bucketsText = (count: number) => `${count} ${count === 1 ? "bucket" : "buckets"}`;

/** The collections were built with another bucket count than the one asked for: keys would be looked up in the wrong bucket. */
export class BucketLayoutMismatch extends Error {
  override readonly name = "BucketLayoutMismatch";
  readonly reason = "bucket_layout_mismatch";

  constructor(
    /** The kind of document: the `name` the collections were opened with. */
    readonly kind: string,
    readonly recordedBuckets: number,
    readonly requestedBuckets: number,
    database: string,
  ) {
    super(
      `the ${kind} collections of database ${database} were built with ${bucketsText(recordedBuckets)}, ` +
        `not ${requestedBuckets}: open them with ${bucketsText(recordedBuckets)}, or rebuild them into a new ` +
        "database to change the count (a document's bucket depends on the count)",
    );
  }
}

/** The bucket of a key: the first 4 bytes of its SHA-1 as an unsigned 32-bit integer, modulo the count. */
export function bucketOf(key: string, buckets: number): number {
  return createHash("sha1").update(key).digest().readUInt32BE(0) % buckets;
}

/** The collection names of `name` in `buckets` buckets: `name` itself for one bucket, else `name_0000` … */
export function bucketCollectionNames(name: string, buckets: number): string[] {
  if (buckets === 1) return [name];
  return Array.from({ length: buckets }, (_, bucket) => `${name}_${bucket.toString(16).padStart(4, "0")}`);
}

/**
 * Opens `name` spread over `buckets` collections. The count is recorded at the first open (by an
 * insert: FerretDB makes inserts atomic, not conditional updates) and a different count later is
 * refused with a BucketLayoutMismatch. A plain `name` collection holding documents with no layout
 * recorded (written before its kind was bucketed) counts as built with one bucket.
 */
export async function openBucketedCollections<T extends Document>(
  db: Db,
  name: string,
  buckets: number,
): Promise<BucketedCollections<T>> {
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > maxBuckets) {
    throw new RangeError(
      `${name}: the bucket count must be a whole number from 1 to ${maxBuckets}, not ${buckets}`,
    );
  }
  const recorded = await recordedBuckets(db, name, buckets);
  if (recorded !== buckets) throw new BucketLayoutMismatch(name, recorded, buckets, db.databaseName);
  const all = bucketCollectionNames(name, buckets).map((collection) => db.collection<T>(collection));
  return {
    of: (key) => all[bucketOf(key, buckets)] as Collection<T>,
    all,
  };
}

async function recordedBuckets(db: Db, name: string, buckets: number): Promise<number> {
  const layouts = db.collection<BucketLayout>(bucketLayoutsCollection);
  const known = await layouts.findOne({ _id: name });
  if (known !== null) return known.buckets;
  const isUnbucketed =
    buckets !== 1 && (await db.collection(name).findOne({}, { projection: { _id: 1 } })) !== null;
  try {
    await layouts.insertOne({ _id: name, buckets: isUnbucketed ? 1 : buckets });
  } catch (error) {
    if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
  }
  // Another process may have recorded its count first: what is recorded is what holds.
  const layout = await layouts.findOne({ _id: name });
  if (layout === null) throw new Error(`the bucket layout of ${name} vanished while it was recorded`);
  return layout.buckets;
}

/** The settings of a service that opens bucketed kinds, for an error that says what to change. */
export type ServiceBucketSettings = {
  /** The service's name, as `rapport replay <service>` takes it. */
  service: string;
  /** The variable giving the bucket count, e.g. IDENTITY_STORE_BUCKETS. */
  bucketsVariable: string;
  /** The variable naming the service's database, e.g. IDENTITY_DATABASE. */
  databaseVariable: string;
};

/**
 * `openBucketedCollections` for a service configured by `settings`: a database built with another
 * count is refused with what to set, or how to rebuild with the new count.
 */
export async function openServiceCollections<T extends Document>(
  db: Db,
  name: string,
  buckets: number,
  settings: ServiceBucketSettings,
): Promise<BucketedCollections<T>> {
  try {
    return await openBucketedCollections<T>(db, name, buckets);
  } catch (error) {
    if (!(error instanceof BucketLayoutMismatch)) throw error;
    const { recordedBuckets: recorded, requestedBuckets: requested } = error;
    throw new Error(
      `${settings.service}'s database ${db.databaseName} keeps ${name} in ${recorded} ` +
        `${recorded === 1 ? "collection" : "collections"}, not ${requested}: set ` +
        `${settings.bucketsVariable}=${recorded}; a different count needs a new ${settings.databaseVariable} ` +
        `(or \`npm run rapport -- replay ${settings.service}\` into the next version)`,
      { cause: error },
    );
  }
}
