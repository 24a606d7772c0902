import { canonicalJson, type Identifier, identifierTypes } from "@rapport/events";
import { ensureIndexes, pageInIdOrder } from "@rapport/mongo";
import { type Db, MongoServerError } from "mongodb";
import { foldIdentityGraph } from "../domain/evolve-identity-graph.js";
import {
  combineGoldenRecords,
  evolveGoldenRecord,
  type GoldenRecord,
  type SurvivorshipRules,
  type TraitObservation,
} from "../domain/golden-record.js";
import { isAnonymousIdentifierType } from "../domain/identifier-rules.js";
import { customersNamedBy, type IdentityEvent, identifiersNamedBy } from "../domain/identity-events.js";
import { type CustomerNode, type IdentityGraph, resolveRoot } from "../domain/identity-graph.js";
import type { IdentityStats } from "../domain/identity-stats.js";
import { type CustomerId, type IdentifierKey, identifierKey } from "../domain/identity-types.js";
import {
  type CustomerDocument,
  goldenRecordOfDocument,
  type IdentifierDocument,
  nodeFields,
  nodeOf,
  type ResolutionDocument,
  type SourceRecordDocument,
  storedGoldenRecord,
} from "./customer-documents.js";
import { createCustomerLocks } from "./customer-locks.js";
import {
  countInEveryBucket,
  inEveryBucket,
  openStoreCollections,
  type StoreLayout,
} from "./store-buckets.js";

/**
 * The part of the graph a decision reads, as loaded: customer documents, the owners of the
 * identifiers looked up, and which of those have no owner yet.
 */
export type GraphSnapshot = {
  graph: IdentityGraph;
  documents: ReadonlyMap<CustomerId, CustomerDocument>;
  unowned: ReadonlySet<IdentifierKey>;
};

/** Another instance claimed an identifier or merged a customer first: decide again. */
export type CommitOutcome = "committed" | "conflict";

const duplicateKey = 11000;
/** A chain of merges longer than this is a corrupt document, not a customer's history. */
const maxAliasHops = 64;

/**
 * The identity graph in MongoDB: one document per customer, one per identifier (its `_id` is the
 * identifier, so the unique index makes sure one identifier has one owner), one per resolved event.
 * Only lookups by `_id` or indexed equality, one document per write: what FerretDB and MongoDB
 * both do well. No multi-document transaction is needed: customers are changed under their locks
 * (customer-locks.ts), identifiers are claimed by unique inserts, and every write is idempotent.
 *
 * Each kind is spread over `layout.buckets` collections by a hash of `_id` (FerretDB reads a whole
 * collection for every query, even by `_id`): a document is read and written in the bucket of its
 * `_id`; finds by other fields, listings and counts go through every bucket.
 */
export async function createIdentityStore(db: Db, survivorship: SurvivorshipRules, layout: StoreLayout) {
  const [customers, identifiers, resolutions, sourceRecords] = await Promise.all([
    openStoreCollections<CustomerDocument>(db, "customers", layout),
    openStoreCollections<IdentifierDocument>(db, "identifiers", layout),
    openStoreCollections<ResolutionDocument>(db, "resolutions", layout),
    openStoreCollections<SourceRecordDocument>(db, "source_records", layout),
  ]);
  const locks = createCustomerLocks(db);

  async function loadChains(starts: Iterable<CustomerId>, documents: Map<CustomerId, CustomerDocument>) {
    await Promise.all(
      [...new Set(starts)].map(async (start) => {
        let id: CustomerId | undefined = start;
        for (let hop = 0; id !== undefined && !documents.has(id) && hop < maxAliasHops; hop += 1) {
          const document: CustomerDocument | null = await customers.of(id).findOne({ _id: id });
          if (document === null) return;
          documents.set(id, document);
          id = document.mergedInto;
        }
      }),
    );
  }

  /**
   * Loads the owners of `wanted` identifiers, the named customers, the alias chains of both, and the
   * chains of the customers the loaded ones are kept apart from: everything decideResolution and
   * evolveIdentityGraph read for one event.
   */
  async function snapshot(
    wanted: readonly Identifier[],
    customerIds: readonly CustomerId[] = [],
  ): Promise<GraphSnapshot> {
    const keys = [...new Set(wanted.map(identifierKey))];
    const found = await Promise.all(keys.map((key) => identifiers.of(key).findOne({ _id: key })));
    const owners = new Map<IdentifierKey, CustomerId>();
    const unowned = new Set<IdentifierKey>();
    keys.forEach((key, index) => {
      const owner = found[index];
      if (owner) owners.set(key, owner.customerId);
      else unowned.add(key);
    });
    const documents = new Map<CustomerId, CustomerDocument>();
    await loadChains([...owners.values(), ...customerIds], documents);
    await loadChains(
      [...documents.values()].flatMap((document) => document.keptApartFrom ?? []),
      documents,
    );
    const nodes = new Map([...documents].map(([id, document]) => [id, nodeOf(document)]));
    return { graph: { customers: nodes, owners }, documents, unowned };
  }

  /**
   * The snapshot a decision is made again on once the customers in `locked` are locked: `probe`
   * itself when none of their documents changed since it was taken (an identifier changes owner only
   * with its owner's document, under its lock; a claim on an unowned one is checked by commit),
   * else a fresh one. Reading the locked customers alone spares the identifier lookups.
   */
  async function snapshotUnderLocks(
    wanted: readonly Identifier[],
    locked: ReadonlySet<CustomerId>,
    probe: GraphSnapshot,
  ): Promise<GraphSnapshot> {
    const ids = [...locked];
    const current = await Promise.all(ids.map((id) => customers.of(id).findOne({ _id: id })));
    const unchanged = ids.every(
      (id, index) => canonicalJson(current[index]) === canonicalJson(probe.documents.get(id) ?? null),
    );
    return unchanged ? probe : snapshot(wanted, ids);
  }

  /** What a customer is founded with: when it was first seen, and the split that made it, if one did. */
  function foundingFields(
    node: CustomerNode,
    events: readonly IdentityEvent[],
  ): Pick<CustomerDocument, "firstSeen" | "split"> {
    const split = events.find((event) => event.type === "CustomerSplit" && event.newCustomerId === node.id);
    return {
      firstSeen: node.firstSeen,
      ...(split?.type === "CustomerSplit"
        ? {
            split: {
              customerId: split.customerId,
              reason: split.reason,
              eventId: split.eventId,
              time: split.time,
            },
          }
        : {}),
    };
  }

  function foundedDocument(node: CustomerNode, events: readonly IdentityEvent[]): CustomerDocument {
    return {
      _id: node.id,
      ...foundingFields(node, events),
      identifiers: {},
      status: "active",
      goldenRecord: storedGoldenRecord({ preferences: {} }),
    };
  }

  async function insertIgnoringDuplicate(insert: () => Promise<unknown>): Promise<boolean> {
    try {
      await insert();
      return true;
    } catch (error) {
      if (error instanceof MongoServerError && error.code === duplicateKey) return false;
      throw error;
    }
  }

  /**
   * The writes that decide, made while holding the locks of every customer the events touch (see
   * customersTouchedBy): the customers the events found, the claims on unowned identifiers (the
   * unique index lets one instance win an identifier no customer holds yet, for which there is no
   * lock to take) and the marks that make merged customers aliases. A lost claim makes the decision
   * stale: the attempt's founded customers and claims are withdrawn and "conflict" is answered.
   * Everything here is idempotent: committing a decision again after a crash finds its writes done.
   */
  async function commit(events: readonly IdentityEvent[], before: GraphSnapshot): Promise<CommitOutcome> {
    const after = foldIdentityGraph(events, before.graph);
    const founded = [...after.customers.values()].filter((node) => !before.documents.has(node.id));
    const inserted: CustomerId[] = [];
    for (const node of founded) {
      if (await insertIgnoringDuplicate(() => customers.of(node.id).insertOne(foundedDocument(node, events))))
        inserted.push(node.id);
    }
    const claimed: IdentifierDocument[] = [];
    for (const key of before.unowned) {
      const owner = after.owners.get(key);
      if (owner === undefined) continue;
      const link = events.find(
        (event) => event.type === "IdentifierLinked" && identifierKey(event.identifier) === key,
      );
      const claim: IdentifierDocument = {
        _id: key,
        customerId: owner,
        ...(link === undefined ? {} : { linkedBy: { eventId: link.eventId, time: link.time } }),
      };
      if (await insertIgnoringDuplicate(() => identifiers.of(key).insertOne(claim))) {
        claimed.push(claim);
        continue;
      }
      const holder = await identifiers.of(key).findOne({ _id: key });
      if (holder?.customerId === owner) continue;
      await Promise.all(
        claimed.map(({ _id, customerId }) => identifiers.of(_id).deleteOne({ _id, customerId })),
      );
      await Promise.all(inserted.map((id) => customers.of(id).deleteOne({ _id: id })));
      return "conflict";
    }
    for (const event of events) {
      if (event.type !== "CustomersMerged") continue;
      const survivorRoot = resolveRoot(before.graph, event.survivor);
      for (const mergedId of event.merged) {
        const document = before.documents.get(mergedId);
        if (document === undefined) return "conflict";
        if (document.mergedInto !== undefined) {
          if (resolveRoot(before.graph, mergedId) === survivorRoot) continue;
          return "conflict";
        }
        await customers.of(mergedId).updateOne(
          { _id: mergedId },
          {
            $set: {
              mergedInto: event.survivor,
              status: "merged",
              merge: {
                survivor: event.survivor,
                rule: event.rule,
                evidence: event.evidence,
                eventId: event.eventId,
                time: event.time,
              },
            },
          },
        );
      }
    }
    return "committed";
  }

  /**
   * Finishes what committed events began, under the same locks and on the snapshot `commit` was given
   * (what commit wrote is what folding the events over it gives): identifiers move to the survivors'
   * roots, lists and kept-apart sets are unioned, golden records combined (with `observation`, the
   * traits the event itself states about `customerId`), and identifier documents re-pointed. Decides
   * nothing, so after a crash it is simply done again.
   */
  async function complete(
    events: readonly IdentityEvent[],
    customerId: CustomerId,
    observation: TraitObservation | undefined,
    before: GraphSnapshot,
  ): Promise<void> {
    const after = foldIdentityGraph(events, before.graph);
    const golden = goldenRecords(before, after, customerId, observation);
    const changed = [...after.customers.values()].filter(
      (node) =>
        node !== before.graph.customers.get(node.id) ||
        canonicalJson(golden.get(node.id)) !==
          canonicalJson(goldenRecordOfDocument(before.documents.get(node.id)?.goldenRecord)),
    );
    // Survivors gain before the merged lose: a crash in between leaves identifiers listed twice,
    // which completing again resolves, never identifiers listed nowhere.
    changed.sort((a, b) => Number(a.mergedInto !== undefined) - Number(b.mergedInto !== undefined));
    for (const node of changed) {
      const fields = {
        ...nodeFields(node),
        goldenRecord: storedGoldenRecord(golden.get(node.id) ?? { preferences: {} }),
      };
      if (before.documents.has(node.id)) {
        await customers.of(node.id).updateOne({ _id: node.id }, { $set: fields });
        continue;
      }
      // Founded by these events: commit inserted it, or a crash came first.
      await customers
        .of(node.id)
        .updateOne(
          { _id: node.id },
          { $set: fields, $setOnInsert: foundingFields(node, events) },
          { upsert: true },
        );
    }
    for (const [key, owner] of after.owners) {
      // Unowned keys were claimed by commit; the others moved with a merge or a split.
      if (before.unowned.has(key) || before.graph.owners.get(key) === owner) continue;
      await identifiers.of(key).updateOne({ _id: key }, { $set: { customerId: owner } });
    }
  }

  /**
   * The customers whose documents committing and completing these events would write, read in the
   * snapshot: the customers the events name, their roots, and every node the events change. These
   * are the locks to hold; a decision made again under the locks must not reach beyond them.
   */
  function customersTouchedBy(
    events: readonly IdentityEvent[],
    customerId: CustomerId,
    before: GraphSnapshot,
  ): Set<CustomerId> {
    const named = [customerId, ...events.flatMap(customersNamedBy)];
    const touched = new Set<CustomerId>(named);
    for (const id of named) {
      const root = resolveRoot(before.graph, id);
      if (root !== undefined) touched.add(root);
    }
    const after = foldIdentityGraph(events, before.graph);
    for (const node of after.customers.values()) {
      if (node !== before.graph.customers.get(node.id)) touched.add(node.id);
    }
    return touched;
  }

  /** Each root's golden record: its own, those of every customer merged into it, and the observation. */
  function goldenRecords(
    before: GraphSnapshot,
    after: IdentityGraph,
    customerId: CustomerId,
    observation: TraitObservation | undefined,
  ): Map<CustomerId, GoldenRecord> {
    const records = new Map<CustomerId, GoldenRecord>();
    for (const [id, document] of before.documents) {
      records.set(id, goldenRecordOfDocument(document.goldenRecord));
    }
    for (const [id, document] of before.documents) {
      const root = resolveRoot(after, id);
      if (root === undefined || root === id) continue;
      const combined = combineGoldenRecords(
        records.get(root) ?? { preferences: {} },
        goldenRecordOfDocument(document.goldenRecord),
        survivorship,
      );
      records.set(root, combined);
    }
    const target = resolveRoot(after, customerId);
    if (observation !== undefined && target !== undefined) {
      records.set(
        target,
        evolveGoldenRecord(records.get(target) ?? { preferences: {} }, observation, survivorship),
      );
    }
    return records;
  }

  /** Whether the observation would change the golden record of the customer the id stands for. */
  function changesGoldenRecord(
    observation: TraitObservation,
    customerId: CustomerId,
    snapshot: GraphSnapshot,
  ): boolean {
    const root = resolveRoot(snapshot.graph, customerId);
    const document = root === undefined ? undefined : snapshot.documents.get(root);
    if (document === undefined) return true;
    const current = goldenRecordOfDocument(document.goldenRecord);
    return canonicalJson(evolveGoldenRecord(current, observation, survivorship)) !== canonicalJson(current);
  }

  /** The customer an id stands for today (the survivor of an alias), or null for an unknown id. */
  async function rootCustomer(customerId: CustomerId): Promise<CustomerDocument | null> {
    const documents = new Map<CustomerId, CustomerDocument>();
    await loadChains([customerId], documents);
    const graph = { customers: new Map([...documents].map(([id, d]) => [id, nodeOf(d)])), owners: new Map() };
    const root = resolveRoot(graph, customerId);
    return root === undefined ? null : (documents.get(root) ?? null);
  }

  /**
   * Applies identity events decided elsewhere (a merge a person accepted, a probabilistic merge, a
   * split read back from the log) under the locks of the customers they touch: "conflict" when one of
   * them changed in a way the decision did not foresee (merged into a customer not locked, merged
   * elsewhere), to decide again.
   */
  async function applyUnderLocks(events: readonly IdentityEvent[]): Promise<"applied" | "conflict"> {
    const named = events.flatMap(customersNamedBy);
    const [first] = named;
    if (first === undefined) return "applied";
    const moved = events.flatMap(identifiersNamedBy);
    const probe = await snapshot(moved, named);
    const locked = customersTouchedBy(events, first, probe);
    return locks.withLocks(locked, async () => {
      const before = await snapshotUnderLocks(moved, locked, probe);
      if ([...customersTouchedBy(events, first, before)].some((id) => !locked.has(id))) return "conflict";
      if ((await commit(events, before)) === "conflict") return "conflict";
      await complete(events, first, undefined, before);
      return "applied";
    });
  }

  return {
    applyUnderLocks,
    ensureIndexes: () =>
      ensureIndexes(db, [
        ...inEveryBucket(customers, { mergedInto: 1 }, "customers_by_survivor"),
        ...inEveryBucket(customers, { status: 1 }, "customers_by_status"),
        ...inEveryBucket(resolutions, { customerId: 1 }, "resolutions_by_customer"),
      ]),
    withCustomerLocks: locks.withLocks,
    snapshot,
    snapshotUnderLocks,
    changesGoldenRecord,
    customersTouchedBy,
    commit,
    complete,
    rootCustomer,

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
        ).flat();
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
        yield* bucket.find<Pick<CustomerDocument, "_id" | "goldenRecord">>(
          { status: "active" },
          { projection: { goldenRecord: 1 } },
        );
      }
    },

    /** Adds the probabilistic matches an event led to, to the decision recorded for it. */
    async recordMatchEvents(eventId: string, matchEvents: readonly IdentityEvent[]): Promise<void> {
      await resolutions.of(eventId).updateOne({ _id: eventId }, { $set: { matchEvents: [...matchEvents] } });
    },

    resolution: (eventId: string) => resolutions.of(eventId).findOne({ _id: eventId }),

    /** Records a decision; false when one is recorded for the event already. */
    insertResolution: (resolution: ResolutionDocument) =>
      insertIgnoringDuplicate(() => resolutions.of(resolution._id).insertOne(resolution)),

    /** Records a decision in place of a stale one. */
    replaceResolution: (resolution: ResolutionDocument) =>
      resolutions.of(resolution._id).replaceOne({ _id: resolution._id }, resolution, { upsert: true }),

    async recordSourceRecord(record: SourceRecordDocument): Promise<void> {
      await insertIgnoringDuplicate(() => sourceRecords.of(record._id).insertOne(record));
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
          const active = bucket.find({ status: "active" }, { projection: { identifiers: 1 } });
          for await (const { identifiers: held } of active) {
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
