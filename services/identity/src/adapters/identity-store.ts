import { type Identifier, identifierTypes } from "@rapport/events";
import { bulkWriteByIds, ensureIndexes, findByIds, insertMissingByIds, pageInIdOrder } from "@rapport/mongo";
import type { Db } from "mongodb";
import { isAnonymousIdentifierType } from "../domain/identifier-rules.js";
import { resolveRoot } from "../domain/identity-graph.js";
import type { IdentityStats } from "../domain/identity-stats.js";
import { type CustomerId, type IdentifierKey, identifierKey } from "../domain/identity-types.js";
import {
  type CustomerDocument,
  customerOfStored,
  type IdentifierDocument,
  nodeOf,
  type ResolutionDocument,
  resolutionOfStored,
  type SourceRecordDocument,
  type StoredCustomer,
  type StoredResolution,
  storedCustomerOf,
  storedResolutionOf,
} from "./customer-documents.js";
import {
  countInEveryBucket,
  inEveryBucket,
  openStoreCollections,
  type StoreLayout,
} from "./store-buckets.js";

/** Documents a unit of work changed, as the graph writer derives them (see graph-writer.ts). */
export type GraphWrites = {
  /** Customers founded by the work: inserted. */
  foundedCustomers: readonly CustomerDocument[];
  /** Customers it changed, survivors before the customers merged into them. */
  changedCustomers: readonly CustomerDocument[];
  /** Identifiers no customer held before: inserted. */
  claimedIdentifiers: readonly IdentifierDocument[];
  /** Identifiers that changed owner (a merge or a split). */
  movedIdentifiers: readonly IdentifierDocument[];
};

/** A chain of merges longer than this is a corrupt document, not a customer's history. */
const maxAliasHops = 64;

/**
 * The identity graph in MongoDB: one document per customer, one per identifier (its `_id` is the
 * identifier, so the unique index makes sure one identifier has one owner), one per resolved event.
 * One instance writes at a time (the graph writer, graph-writer.ts): it reads what a unit of work
 * names by `_id` lists and writes its outcome in a few bulk commands. Every write is idempotent, so a
 * unit of work done again after a crash completes what the first attempt began.
 *
 * Each kind may be spread over `layout.buckets` collections by a hash of `_id` (databases built for
 * the unpatched FerretDB, which read a whole collection for every query): a document is read and
 * written in the bucket of its `_id`; finds by other fields, listings and counts go through every bucket.
 */
export async function createIdentityStore(db: Db, layout: StoreLayout) {
  const [customers, identifiers, resolutions, sourceRecords] = await Promise.all([
    openStoreCollections<StoredCustomer>(db, "customers", layout),
    openStoreCollections<IdentifierDocument>(db, "identifiers", layout),
    openStoreCollections<StoredResolution>(db, "resolutions", layout),
    openStoreCollections<SourceRecordDocument>(db, "source_records", layout),
  ]);

  async function loadChains(starts: Iterable<CustomerId>, documents: Map<CustomerId, CustomerDocument>) {
    await Promise.all(
      [...new Set(starts)].map(async (start) => {
        let id: CustomerId | undefined = start;
        for (let hop = 0; id !== undefined && !documents.has(id) && hop < maxAliasHops; hop += 1) {
          const stored: StoredCustomer | null = await customers.of(id).findOne({ _id: id });
          if (stored === null) return;
          const document = customerOfStored(stored);
          documents.set(id, document);
          id = document.mergedInto;
        }
      }),
    );
  }

  /** The customer an id stands for today (the survivor of an alias), or null for an unknown id. */
  async function rootCustomer(customerId: CustomerId): Promise<CustomerDocument | null> {
    const documents = new Map<CustomerId, CustomerDocument>();
    await loadChains([customerId], documents);
    const graph = { customers: new Map([...documents].map(([id, d]) => [id, nodeOf(d)])), owners: new Map() };
    const root = resolveRoot(graph, customerId);
    return root === undefined ? null : (documents.get(root) ?? null);
  }

  return {
    ensureIndexes: () =>
      ensureIndexes(db, [
        ...inEveryBucket(customers, { mergedInto: 1 }, "customers_by_survivor"),
        ...inEveryBucket(customers, { status: 1 }, "customers_by_status"),
        ...inEveryBucket(resolutions, { customerId: 1 }, "resolutions_by_customer"),
      ]),
    rootCustomer,

    /** The stored customers of these ids (ids not stored are left out). */
    customersByIds: async (ids: Iterable<CustomerId>) =>
      (await findByIds(customers, ids)).map(customerOfStored),

    /** The stored identifier documents of these keys: who owns each (keys nobody holds are left out). */
    identifiersByKeys: (keys: Iterable<IdentifierKey>) => findByIds(identifiers, keys),

    /** The recorded decisions of these events (events never decided are left out). */
    resolutionsByIds: async (eventIds: Iterable<string>) =>
      (await findByIds(resolutions, eventIds)).map(resolutionOfStored),

    /** Records decisions; answers the event ids that had one recorded already (handled again). */
    insertResolutions: (documents: readonly ResolutionDocument[]) =>
      insertMissingByIds(resolutions, documents.map(storedResolutionOf)),

    /**
     * Writes what a unit of work changed, in an order that a crash at any point leaves completable:
     * founded customers and claimed identifiers first, then changed customers (survivors gain
     * identifiers before the merged lose them, so no identifier is ever listed nowhere), then the
     * identifiers that moved. Founding or claiming again (a unit of work done again) replaces.
     */
    async writeGraph(writes: GraphWrites): Promise<void> {
      const [foundedBefore, claimedBefore] = await Promise.all([
        insertMissingByIds(customers, writes.foundedCustomers.map(storedCustomerOf)),
        insertMissingByIds(identifiers, writes.claimedIdentifiers),
      ]);
      const replaced = [
        ...writes.foundedCustomers.filter((document) => foundedBefore.has(document._id)),
        ...writes.changedCustomers,
      ];
      await bulkWriteByIds(
        customers,
        replaced.map((document) => replaceOperation(storedCustomerOf(document))),
      );
      await bulkWriteByIds(identifiers, [
        ...writes.claimedIdentifiers
          .filter((document) => claimedBefore.has(document._id))
          .map(replaceOperation),
        ...writes.movedIdentifiers.map((document) => ({
          id: document._id,
          operation: {
            updateOne: {
              filter: { _id: document._id },
              update: { $set: { customerId: document.customerId } },
            },
          },
        })),
      ]);
    },

    /** The source records of these ids that are stored. */
    sourceRecordsByIds: (ids: Iterable<string>) => findByIds(sourceRecords, ids),

    /** Stores source records not stored yet (a record keeps the customer it first resolved to). */
    insertSourceRecords: (documents: readonly SourceRecordDocument[]) =>
      insertMissingByIds(sourceRecords, documents),

    /** The customer an identifier belongs to today, or null when no customer holds it. */
    async customerOfIdentifier(identifier: Identifier): Promise<CustomerDocument | null> {
      const key = identifierKey(identifier);
      const owner = await identifiers.of(key).findOne({ _id: key });
      return owner === null ? null : rootCustomer(owner.customerId);
    },

    /** Every id merged into this customer, directly or through other merged ids. */
    async aliasesOf(customerId: CustomerId): Promise<CustomerDocument[]> {
      const aliases: CustomerDocument[] = [];
      let frontier = [customerId];
      while (frontier.length > 0) {
        const mergedInto = { $in: frontier };
        const found = (
          await Promise.all(customers.all.map((bucket) => bucket.find({ mergedInto }).toArray()))
        )
          .flat()
          .map(customerOfStored);
        aliases.push(...found);
        frontier = found.map((document) => document._id);
      }
      return aliases;
    },

    /** The identifiers a customer holds, with the event that linked each. */
    identifierDocuments: (keys: readonly IdentifierKey[]) =>
      Promise.all(keys.map((key) => identifiers.of(key).findOne({ _id: key }))).then((found) =>
        found.filter((document) => document !== null),
      ),

    /**
     * Source records in id order (the server's: by code point), `limit` after `afterId`: the pages
     * of an export. The buckets' records are merged, so a page is in order across all of them.
     */
    sourceRecordsAfter: (afterId: string, limit: number) => pageInIdOrder(sourceRecords.all, afterId, limit),

    /** Every customer that is not an alias, with its golden record: what the match model is fitted on. */
    async *activeCustomers(): AsyncGenerator<Pick<CustomerDocument, "_id" | "goldenRecord">> {
      for (const bucket of customers.all) {
        for await (const stored of bucket.find({ status: "active" })) yield customerOfStored(stored);
      }
    },

    /** How many resolved events each source contributed to these customer ids. */
    async eventCountsBySource(customerIds: readonly CustomerId[]): Promise<Map<string, number>> {
      const counts = new Map<string, number>();
      const filter = { customerId: { $in: [...customerIds] } };
      await Promise.all(
        resolutions.all.map(async (bucket) => {
          for await (const { source } of bucket.find(filter, { projection: { source: 1 } }))
            counts.set(source, (counts.get(source) ?? 0) + 1);
        }),
      );
      return counts;
    },

    /**
     * Registered versus real customers. Counted from the documents when asked (a scan of the active
     * customers), so the figures are exact whatever was redelivered or replayed.
     */
    async stats(): Promise<IdentityStats> {
      const [sourceRecordCount, duplicatesMerged] = await Promise.all([
        countInEveryBucket(sourceRecords, {}),
        countInEveryBucket(customers, { status: "merged" }),
      ]);
      let uniqueCustomers = 0;
      let anonymousOnlyCustomers = 0;
      await Promise.all(
        customers.all.map(async (bucket) => {
          for await (const stored of bucket.find({ status: "active" })) {
            const held = customerOfStored(stored).identifiers;
            const types = identifierTypes.filter((type) => (held[type]?.length ?? 0) > 0);
            if (types.length === 0) continue;
            uniqueCustomers += 1;
            if (types.every(isAnonymousIdentifierType)) anonymousOnlyCustomers += 1;
          }
        }),
      );
      return { sourceRecords: sourceRecordCount, uniqueCustomers, duplicatesMerged, anonymousOnlyCustomers };
    },
  };
}

export type IdentityStore = Awaited<ReturnType<typeof createIdentityStore>>;

function replaceOperation<T extends { _id: string }>(document: T) {
  return {
    id: document._id,
    operation: { replaceOne: { filter: { _id: document._id }, replacement: document, upsert: true } },
  } as const;
}
