import type { CustomersMerged } from "@rapport/events";
import type { ScoringSettings } from "../domain/customer-profile.js";
import { appliedUpTo, type LogPosition } from "../domain/log-position.js";
import type { PopulationModel } from "../domain/population-model.js";
import {
  type ChangeCause,
  type CustomerSummary,
  changesCausedWithin,
  emptyCustomer,
  forgetPublishedChanges,
  type LoggedFact,
  type RecordedChange,
  type ScoredCustomer,
  updateCustomer,
} from "../domain/scored-customer.js";
import type { CustomerCache } from "./customer-cache.js";
import { type CustomerDocument, type FactChunk, factChunkId } from "./customer-documents.js";
import type { CustomerStore } from "./customer-store.js";

/** A change, the customer who made it, and that customer as scored after the part. */
export type CustomerChangeOf = { customerId: string; summary: CustomerSummary } & Pick<
  RecordedChange,
  "causedAt"
> & {
    change: Omit<RecordedChange, "causedAt">;
  };

/** A chain of merges longer than this is a corrupt document, not a customer's history. */
const maxAliasHops = 64;

/**
 * One unit of work of the customer writer: the customers a part names, as read (the cache first, the
 * rest by `_id` lists, then the survivors of merged ones) and as decided in memory with the pure
 * domain functions, and the writes that follow.
 */
export function createCustomerUnit(deps: {
  store: CustomerStore;
  cache: CustomerCache;
  settings: ScoringSettings;
  /** The population model in force now. */
  model: () => PopulationModel | undefined;
}) {
  const { store, cache, settings } = deps;
  const read = new Map<string, CustomerDocument>();
  const absent = new Set<string>();
  const decided = new Map<string, CustomerDocument>();
  const factChunks: FactChunk[] = [];
  const listed = new Map<string, { _id: string; aliasOf?: string }>();
  /** Customers not stored when read: their documents are inserted. */
  const founded = new Set<string>();
  const documentOf = (id: string) => decided.get(id) ?? read.get(id);

  /** Reads the customers of these ids and the survivors they were merged into. */
  async function load(ids: Iterable<string>): Promise<void> {
    let frontier = [...new Set(ids)];
    for (let hop = 0; frontier.length > 0 && hop <= maxAliasHops; hop += 1) {
      const unread: string[] = [];
      const arrived: CustomerDocument[] = [];
      for (const id of frontier) {
        if (read.has(id) || absent.has(id)) continue;
        const cached = cache.get(id);
        if (cached === undefined) unread.push(id);
        else arrived.push(cached);
      }
      if (unread.length > 0) {
        const found = await store.customersByIds(unread);
        arrived.push(...found);
        const foundIds = new Set(found.map((document) => document._id));
        for (const id of unread) if (!foundIds.has(id)) absent.add(id);
      }
      for (const document of arrived) read.set(document._id, document);
      frontier = arrived.flatMap((document) => (document.aliasOf === undefined ? [] : [document.aliasOf]));
    }
  }

  /** The id a customer id stands for now: itself, or the survivor at the end of its merges. */
  function rootOf(customerId: string): string {
    let id = customerId;
    for (let hop = 0; hop < maxAliasHops; hop += 1) {
      const next = documentOf(id)?.aliasOf;
      if (next === undefined) return id;
      id = next;
    }
    throw new Error(`customer ${customerId} is in a chain of more than ${maxAliasHops} merges`);
  }

  function decide(document: CustomerDocument): void {
    decided.set(document._id, document);
  }

  function found(customerId: string, customer: ScoredCustomer): CustomerDocument {
    founded.add(customerId);
    listed.set(customerId, { _id: customerId });
    return { _id: customerId, customer, factChunks: 0, absorbedChunks: [] };
  }

  /** The survivor with the merged customers' facts, those it has not absorbed yet. */
  function absorb(rootId: string, merged: readonly CustomerDocument[], cause: ChangeCause): void {
    const root = documentOf(rootId);
    const before = root?.customer;
    const absorbed = merged.filter(
      (document) => document._id !== rootId && !before?.mergedCustomerIds.includes(document._id),
    );
    if (absorbed.length === 0 && root) return;
    const customer = updateCustomer(
      rootId,
      before,
      { kind: "absorb", merged: absorbed.map((document) => document.customer), cause },
      deps.model(),
      settings,
    );
    const base = root ?? found(rootId, customer);
    decide({
      ...base,
      customer,
      absorbedChunks: [
        ...base.absorbedChunks,
        ...absorbed.flatMap((document) => [
          { customerId: document._id, chunks: document.factChunks },
          ...document.absorbedChunks,
        ]),
      ],
    });
  }

  /**
   * A merge whose survivor was not written (a crash between the aliases and the survivor) is
   * completed before anything else reaches the survivor through the alias.
   */
  function completeMerges(customerId: string): string {
    const rootId = rootOf(customerId);
    for (let id = customerId; id !== rootId; ) {
      const alias = documentOf(id) as CustomerDocument;
      const root = documentOf(rootId);
      if (!root?.customer.mergedCustomerIds.includes(id) && alias.mergedBy)
        absorb(rootId, [alias], alias.mergedBy);
      id = alias.aliasOf as string;
    }
    return rootId;
  }

  return {
    load,

    /** Takes in a part's facts: each customer once, with the facts of every id that stands for it. */
    takeIn(facts: readonly LoggedFact[], clockAsOf: number | undefined): void {
      const byRoot = new Map<string, LoggedFact[]>();
      for (const logged of facts) {
        const rootId = completeMerges(logged.customerId);
        const listedFacts = byRoot.get(rootId);
        if (listedFacts) listedFacts.push(logged);
        else byRoot.set(rootId, [logged]);
      }
      for (const [rootId, logged] of byRoot) {
        const root = documentOf(rootId);
        const before = root?.customer;
        const taken = logged.filter(
          ({ customerId, position }) =>
            position.offset > appliedUpTo(before?.applied ?? [], customerId, position.stream),
        );
        const customer = updateCustomer(
          rootId,
          before,
          { kind: "facts", facts: logged, ...(clockAsOf === undefined ? {} : { clock: clockAsOf }) },
          deps.model(),
          settings,
        );
        if (customer === before) continue;
        const base = root ?? found(rootId, customer);
        if (taken.length > 0)
          factChunks.push({
            _id: factChunkId(rootId, base.factChunks),
            customerId: rootId,
            facts: taken.map(({ fact }) => fact),
          });
        decide({ ...base, customer, factChunks: base.factChunks + (taken.length > 0 ? 1 : 0) });
      }
    },

    /** Makes the merged customers aliases of the survivor, which absorbs them. */
    merge(merge: CustomersMerged, cause: ChangeCause): void {
      const rootId = completeMerges(merge.survivor);
      const aliases: CustomerDocument[] = [];
      for (const mergedId of new Set(merge.merged)) {
        if (mergedId === rootId || mergedId === merge.survivor) continue;
        if (documentOf(rootId)?.customer.mergedCustomerIds.includes(mergedId)) continue;
        let alias = documentOf(mergedId);
        if (alias === undefined) alias = found(mergedId, emptyCustomer(mergedId, settings));
        if (alias.aliasOf === undefined) {
          alias = { ...alias, aliasOf: merge.survivor, mergedBy: cause };
          listed.set(mergedId, { _id: mergedId, aliasOf: merge.survivor });
          decide(alias);
        }
        aliases.push(alias);
      }
      absorb(rootId, aliases, cause);
    },

    /** Rescores a customer as of `asOf` with the model in force (merged ids and unknown ones are left). */
    rescore(customerId: string, asOf: number, cause: ChangeCause): void {
      const document = documentOf(customerId);
      if (document === undefined || document.aliasOf !== undefined) return;
      const customer = updateCustomer(
        customerId,
        document.customer,
        { kind: "rescore", asOf, cause },
        deps.model(),
        settings,
      );
      if (customer !== document.customer) decide({ ...document, customer });
    },

    /** The changes recorded with a cause in the part (`from`–`to` of `stream`), by any customer read. */
    changesWithin(stream: string, from: number, to: number): CustomerChangeOf[] {
      const changes: CustomerChangeOf[] = [];
      for (const document of new Map([...read, ...decided]).values()) {
        for (const { causedAt, ...change } of changesCausedWithin(document.customer, stream, from, to))
          changes.push({ customerId: document._id, summary: document.customer.summary, change, causedAt });
      }
      return changes;
    },

    /**
     * Writes what the unit decided, without the changes already published or never to be; keeps
     * the cache in step (a failed write empties it: some of it may be written).
     */
    async write(isSettled: (position: LogPosition) => boolean): Promise<void> {
      const documents = [...decided.values()].map((document) => {
        const customer = forgetPublishedChanges(document.customer, isSettled);
        return customer === document.customer ? document : { ...document, customer };
      });
      try {
        await store.write({
          factChunks,
          customerIds: [...listed.values()],
          aliases: documents.filter((document) => document.aliasOf !== undefined),
          customers: documents.filter((document) => document.aliasOf === undefined),
          founded,
        });
      } catch (error) {
        cache.clear();
        throw error;
      }
      for (const document of read.values()) cache.set(document._id, document);
      for (const document of documents) cache.set(document._id, document);
    },
  };
}
