import {
  type BucketedCollections,
  bucketLayoutsCollection,
  bulkWriteByIds,
  findByIds,
  insertMissing,
  insertMissingByIds,
  openServiceCollections,
} from "@rapport/mongo";
import type { Db, Document } from "mongodb";
import type { CustomerFact } from "../domain/customer-facts.js";
import {
  type CustomerDocument,
  type CustomerIdDocument,
  type FactChunk,
  factChunkIdsOf,
} from "./customer-documents.js";

/**
 * How a customer and a fact chunk are stored: the fields reads filter on beside the rest as one JSON
 * text. The document store takes a document apart field by field, and FerretDB reads and writes one
 * text field several times faster than the same content as nested fields (docs/benchmarks.md,
 * "Document store", "Document shape").
 */
type StoredCustomer = { _id: string; aliasOf?: string; document: string };
type StoredFactChunk = { _id: string; customerId: string; facts: string };

function storedCustomerOf(document: CustomerDocument): StoredCustomer {
  const { _id, aliasOf } = document;
  return { _id, ...(aliasOf === undefined ? {} : { aliasOf }), document: JSON.stringify(document) };
}

function customerOfStored(stored: StoredCustomer): CustomerDocument {
  return JSON.parse(stored.document) as CustomerDocument;
}

function storedFactChunkOf(chunk: FactChunk): StoredFactChunk {
  return { _id: chunk._id, customerId: chunk.customerId, facts: JSON.stringify(chunk.facts) };
}

function factChunkOfStored(stored: StoredFactChunk): FactChunk {
  return {
    _id: stored._id,
    customerId: stored.customerId,
    facts: JSON.parse(stored.facts) as CustomerFact[],
  };
}

/** How many collections each kind of document is spread over (SCORING_STORE_BUCKETS). */
export type StoreLayout = { buckets: number };

/** What one unit of the customer writer changed, in the order a crash at any point leaves completable. */
export type CustomerWrites = {
  /** New fact chunks (a unit done again writes the same ids: they are replaced). */
  factChunks: readonly FactChunk[];
  /** Customer ids never listed before, and the merged ones with their survivor. */
  customerIds: readonly CustomerIdDocument[];
  /** Customers merged by the unit: written before the survivors that absorb them. */
  aliases: readonly CustomerDocument[];
  /** Every other customer the unit changed. */
  customers: readonly CustomerDocument[];
  /** The ids among them that were not stored when the unit read them (inserted, not replaced). */
  founded: ReadonlySet<string>;
};

/** A chain of merges longer than this is a corrupt document, not a customer's history. */
const maxAliasHops = 64;

/**
 * Scoring's customers in MongoDB, read and written by `_id` only (customer-writer.ts reads what a part
 * names with `_id` lists and writes the outcome in bulk): one document per customer keyed by its id,
 * the facts in append-only chunks keyed `<customer id>#<n>`, and the list of customer ids a clock tick
 * rescores. Listings, reports, fits and the web analytics scan.
 *
 * Each kind may be spread over `layout.buckets` collections by a hash of `_id` (databases built for the
 * unpatched FerretDB, which read a whole collection for every query); a database built with another
 * count is refused, naming the setting.
 */
export async function createCustomerStore(db: Db, layout: StoreLayout) {
  await checkStoreFormat(db);
  const [customers, factChunks, customerIds] = await Promise.all([
    openKind<StoredCustomer>(db, "customers", layout),
    openKind<StoredFactChunk>(db, "customer_facts", layout),
    openKind<CustomerIdDocument>(db, "customer_ids", layout),
  ]);

  async function insertOrReplace<T extends Document & { _id: string }>(
    kind: BucketedCollections<T>,
    documents: readonly T[],
  ): Promise<void> {
    if (documents.length === 0) return;
    const present = await insertMissingByIds(kind, documents as never);
    await bulkWriteByIds(
      kind,
      documents
        .filter((document) => present.has(document._id))
        .map((document) => ({
          id: document._id,
          operation: {
            replaceOne: { filter: { _id: document._id } as never, replacement: document, upsert: true },
          },
        })),
    );
  }

  async function replaceAll<T extends Document & { _id: string }>(
    kind: BucketedCollections<T>,
    documents: readonly T[],
  ): Promise<void> {
    await bulkWriteByIds(
      kind,
      documents.map((document) => ({
        id: document._id,
        operation: {
          replaceOne: { filter: { _id: document._id } as never, replacement: document, upsert: true },
        },
      })),
    );
  }

  return {
    /** The stored customers of these ids (ids not stored are left out). */
    customersByIds: async (ids: Iterable<string>): Promise<CustomerDocument[]> =>
      (await findByIds(customers, ids)).map(customerOfStored),

    /** The customer document an id stands for now: its own, or its survivor's when it was merged. */
    async current(customerId: string): Promise<CustomerDocument | undefined> {
      let id = customerId;
      for (let hop = 0; hop < maxAliasHops; hop += 1) {
        const stored = await customers.of(id).findOne({ _id: id });
        if (stored === null) return undefined;
        const document = customerOfStored(stored);
        if (document.aliasOf === undefined) return document;
        id = document.aliasOf;
      }
      throw new Error(`customer ${customerId} is in a chain of more than ${maxAliasHops} merges`);
    },

    /** Every fact a customer took in (its own and its merged customers'), in no particular order. */
    async factsOf(document: CustomerDocument): Promise<CustomerFact[]> {
      const chunks = await findByIds(factChunks, factChunkIdsOf(document));
      return chunks.flatMap((chunk) => factChunkOfStored(chunk).facts);
    },

    /**
     * Writes a unit's outcome: the fact chunks first (a customer document only counts chunks that
     * exist), then the customer ids, the merged customers' aliases (a merge handled again finds them
     * and completes), and the customers. New documents are inserted; a unit done again after a crash
     * finds some of them present and replaces them.
     */
    async write(writes: CustomerWrites): Promise<void> {
      await insertOrReplace(factChunks, writes.factChunks.map(storedFactChunkOf));
      const [listed, aliased] = partition(writes.customerIds, (document) => document.aliasOf === undefined);
      await insertMissingByIds(customerIds, listed);
      await replaceAll(customerIds, aliased);
      for (const documents of [writes.aliases, writes.customers]) {
        const [founded, changed] = partition(documents, (document) => writes.founded.has(document._id));
        await insertOrReplace(customers, founded.map(storedCustomerOf));
        await replaceAll(customers, changed.map(storedCustomerOf));
      }
    },

    /** Every customer id listed, merged ones included (their `aliasOf` set). */
    async *customerIds(): AsyncGenerator<CustomerIdDocument> {
      for (const bucket of customerIds.all) yield* bucket.find({});
    },

    /** Every customer document, bucket by bucket (aliases included). */
    async *customers(): AsyncGenerator<CustomerDocument> {
      for (const bucket of customers.all)
        for await (const stored of bucket.find({})) yield customerOfStored(stored);
    },

    /** Every fact chunk (the web analytics read page views across customers). */
    async *factChunks(): AsyncGenerator<FactChunk> {
      for (const bucket of factChunks.all)
        for await (const stored of bucket.find({})) yield factChunkOfStored(stored);
    },
  };
}

export type CustomerStore = Awaited<ReturnType<typeof createCustomerStore>>;

/** Customers are kept one document per customer since format 2 (before: one document per version). */
const storeFormat = 2;

/**
 * Refuses a database an earlier scoring built (its customers are stored as versions, `<id>@<n>`): it
 * cannot be read in place, only rebuilt from the log. A database nobody built yet is marked.
 */
async function checkStoreFormat(db: Db): Promise<void> {
  const formats = db.collection<{ _id: string; format: number }>("store_formats");
  const known = await formats.findOne({ _id: "customers" });
  if (known === null) {
    const layouts = db.collection<{ _id: string; buckets: number }>(bucketLayoutsCollection);
    const builtBefore = await layouts.findOne({ _id: "customers" });
    if (builtBefore !== null)
      throw new Error(
        `scoring's database ${db.databaseName} was built by an earlier scoring, which stored a version ` +
          "of a customer per change: rebuild the projections from the log into a new version with " +
          "`npm run rapport -- replay scoring`, then start scoring again",
      );
    await insertMissing(formats, [{ _id: "customers", format: storeFormat }]);
    return;
  }
  if (known.format !== storeFormat)
    throw new Error(
      `scoring's database ${db.databaseName} holds customers in format ${known.format}, this scoring reads ` +
        `format ${storeFormat}: rebuild with \`npm run rapport -- replay scoring\``,
    );
}

const openKind = <T extends Document>(db: Db, name: string, layout: StoreLayout) =>
  openServiceCollections<T>(db, name, layout.buckets, {
    service: "scoring",
    bucketsVariable: "SCORING_STORE_BUCKETS",
    databaseVariable: "SCORING_DATABASE",
  });

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}
