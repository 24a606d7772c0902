import { openBucketedCollections } from "@rapport/mongo";
import { type Collection, type Db, MongoServerError } from "mongodb";
import type { ScoredCustomer } from "../domain/scored-customer.js";

/**
 * One stored version of a customer. Versions are only ever inserted: `_id` is the customer id and
 * the version number, so two writers that read the same version cannot both write its successor
 * (the second insert fails with a duplicate key and the writer reads again). Inserting is the one
 * write that is atomic on FerretDB as on MongoDB; FerretDB applies a conditional update without
 * isolation. A merged customer's last version is an alias naming its survivor, with the state it
 * had, so a merge interrupted half-way is finished when its event is handled again.
 */
export type CustomerVersion = {
  _id: string;
  customerId: string;
  version: number;
  customer: ScoredCustomer;
  aliasOf?: string;
};

export class VersionConflict extends Error {
  constructor(readonly customerId: string) {
    super(`customer ${customerId} was changed by another writer`);
  }
}

/** How the store spreads customers over collections (see openBucketedCollections). */
export type StoreLayout = { buckets: number };

/**
 * Customers in `layout.buckets` collections chosen by a hash of the customer id: FerretDB reads a
 * whole collection for every query, so many small ones keep each lookup short; on MongoDB one
 * bucket is enough. The count is fixed for the life of a database (replay to change it).
 */
export async function createCustomerStore(db: Db, layout: StoreLayout) {
  const buckets = await openBucketedCollections<CustomerVersion>(db, "customers", layout.buckets);
  const collectionOf = (customerId: string): Collection<CustomerVersion> => buckets.of(customerId);
  const collections = buckets.all;

  async function latest(customerId: string): Promise<CustomerVersion | undefined> {
    const versions = await collectionOf(customerId).find({ customerId }).toArray();
    return versions.reduce<CustomerVersion | undefined>(
      (newest, version) => (newest === undefined || version.version > newest.version ? version : newest),
      undefined,
    );
  }

  return {
    async ensureIndexes(): Promise<void> {
      for (const collection of collections)
        await collection.createIndex({ customerId: 1 }, { name: "customerId" });
    },

    /** The newest version of the customer, or undefined for a customer never stored. */
    latest,

    /**
     * The customer an id stands for now: its own newest version, or its survivor's when it was
     * merged (following a chain of merges). Undefined when neither is stored.
     */
    async current(customerId: string): Promise<CustomerVersion | undefined> {
      const seen = new Set<string>();
      let id = customerId;
      for (;;) {
        const version = await latest(id);
        if (version?.aliasOf === undefined) return version;
        if (seen.has(version.aliasOf)) throw new Error(`customer ${customerId} is in a cycle of merges`);
        seen.add(id);
        id = version.aliasOf;
      }
    },

    /**
     * Stores `customer` as the version after `previous` (undefined: the first version). Throws
     * VersionConflict when another writer stored that version first.
     */
    async write(
      previous: CustomerVersion | undefined,
      customer: ScoredCustomer,
      aliasOf?: string,
    ): Promise<void> {
      const version = (previous?.version ?? 0) + 1;
      const collection = collectionOf(customer.customerId);
      try {
        await collection.insertOne({
          _id: versionId(customer.customerId, version),
          customerId: customer.customerId,
          version,
          customer,
          ...(aliasOf ? { aliasOf } : {}),
        });
      } catch (error) {
        if (error instanceof MongoServerError && error.code === 11000)
          throw new VersionConflict(customer.customerId);
        throw error;
      }
      if (previous) await collection.deleteOne({ _id: previous._id });
    },

    /** Every customer's newest version, bucket by bucket (aliases included). */
    async *all(): AsyncGenerator<CustomerVersion> {
      for (const collection of collections) {
        const newest = new Map<string, CustomerVersion>();
        for await (const version of collection.find({})) {
          const known = newest.get(version.customerId);
          if (!known || version.version > known.version) newest.set(version.customerId, version);
        }
        yield* newest.values();
      }
    },
  };
}

export type CustomerStore = Awaited<ReturnType<typeof createCustomerStore>>;

function versionId(customerId: string, version: number): string {
  return `${customerId}@${String(version).padStart(10, "0")}`;
}
