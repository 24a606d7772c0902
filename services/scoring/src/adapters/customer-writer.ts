import type { CustomersMerged } from "@rapport/events";
import type { ScoringSettings } from "../domain/customer-profile.js";
import { appliedUpTo, type LogPosition } from "../domain/log-position.js";
import type { PopulationModel } from "../domain/population-model.js";
import {
  type ChangeCause,
  type CustomerChange,
  changesCausedWithin,
  emptyCustomer,
  forgetPublishedChanges,
  type LoggedFact,
  type ScoredCustomer,
  updateCustomer,
} from "../domain/scored-customer.js";
import type { CustomerCache } from "./customer-cache.js";
import { type CustomerDocument, type FactChunk, factChunkId } from "./customer-documents.js";
import type { CustomerStore } from "./customer-store.js";
import type { PopulationModels } from "./population-models.js";
import type { RescoreTracker } from "./rescore-tracker.js";
import type { ScoringClock } from "./scoring-clock.js";
import type { RescoreRequest, ScoringFact } from "./scoring-records.js";

/** One part of one stream of the log, decoded: what the writer decides in one unit of work. */
export type CustomerPart = {
  stream: string;
  firstOffset: number;
  lastOffset: number;
  facts: readonly LoggedFact[];
  merges: readonly { merge: CustomersMerged; position: LogPosition }[];
  scoringFacts: readonly { fact: ScoringFact; position: LogPosition }[];
  /** Whether the changes the part makes are published (not when a replay rebuilds). */
  announces: boolean;
};

export type PartOutcome = {
  /** The changes to publish with the part: made now, or made by an attempt whose commit was lost. */
  changes: { customerId: string; change: CustomerChange; causedAt: LogPosition }[];
  /** Rescorings to append to crm.scoring with the part. */
  rescoreRequests: RescoreRequest[];
};

export type CustomerWriterDependencies = {
  store: CustomerStore;
  cache: CustomerCache;
  models: PopulationModels;
  clock: ScoringClock;
  rescores: RescoreTracker;
  settings: ScoringSettings;
  /** The consumer group of this build: the rescore requests it acts on. */
  build: string;
  /** Customers per rescore request. */
  rescoreChunk: number;
};

/** A chain of merges longer than this is a corrupt document, not a customer's history. */
const maxAliasHops = 64;

/**
 * The one writer of a build's customers: takes a part of the log at a time, exactly once in effect.
 * A unit of work reads the customers the part names (the cache first, the rest by `_id` lists, then
 * the survivors of merged ones), decides the whole part in memory with the pure domain functions,
 * and writes the outcome in a few bulk commands (customer-store.ts). Only one instance writes at a
 * time (the writer's lease), so the cache holds what the store holds.
 *
 * A record the customer has taken in already (its position is at or below the customer's mark) is
 * not taken in again, and the changes recorded with a cause in the part are published again: a part
 * handled after a crash between the store's write and the commit publishes exactly what the first
 * attempt would have. Changes are forgotten once the part that caused them is known committed (a
 * later part of the same stream was handed over).
 */
export function createCustomerWriter(deps: CustomerWriterDependencies) {
  const { store, cache, settings } = deps;
  let clock: { asOf: number; causeEventId: string } | undefined;
  let model: PopulationModel | undefined;
  /** Per stream, the first offset of the latest part handed over: every record before it is committed. */
  const committedBefore = new Map<string, number>();
  const isCommitted = (position: LogPosition) =>
    position.offset < (committedBefore.get(position.stream) ?? Number.NEGATIVE_INFINITY);

  let turn: Promise<unknown> = Promise.resolve();
  /** Units run one after the other: each decides on what the one before it wrote. */
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = turn.then(work);
    turn = next.catch(() => undefined);
    return next;
  };

  async function handle(part: CustomerPart): Promise<PartOutcome> {
    committedBefore.set(part.stream, Math.max(committedBefore.get(part.stream) ?? 0, part.firstOffset));
    const unit = createUnit();
    const rescoreRequests: RescoreRequest[] = [];
    /** Records of the part whose changes are never published: a replay's rescore requests. */
    const silentRequests = new Set<number>();
    const isSilent = (position: LogPosition) =>
      position.stream === part.stream && (!part.announces || silentRequests.has(position.offset));

    for (const { fact, position } of part.scoringFacts) {
      switch (fact.type) {
        case "crm.v1.ScoringClockTicked":
        case "crm.v1.PopulationModelFitted": {
          const asOf = fact.type === "crm.v1.ScoringClockTicked" ? fact.asOf : fact.model.fittedAsOf;
          if (fact.type === "crm.v1.PopulationModelFitted") {
            await deps.models.record(fact.model);
            model = newerModel(model, fact.model);
          }
          await deps.clock.advance(asOf, fact.id);
          if (clock === undefined || Date.parse(asOf) > clock.asOf)
            clock = { asOf: Date.parse(asOf), causeEventId: fact.id };
          deps.rescores.handled(fact.id, asOf);
          rescoreRequests.push({
            type: "crm.v1.RescoreRequested",
            id: `rescore:${fact.id}:${deps.build}`,
            build: deps.build,
            announce: part.announces,
            cause: { eventId: fact.id, asOf },
          });
          break;
        }
        case "crm.v1.RescoreRequested": {
          if (fact.build !== deps.build) break;
          if (!fact.announce) silentRequests.add(position.offset);
          if (fact.customerIds === undefined) {
            if (!deps.rescores.isSuperseded(fact.cause))
              rescoreRequests.push(...(await chunkedRequests(fact)));
            break;
          }
          await unit.load(fact.customerIds);
          if (deps.rescores.isSuperseded(fact.cause)) break;
          const cause = { eventId: fact.cause.eventId, position };
          for (const customerId of fact.customerIds)
            unit.rescore(customerId, Date.parse(fact.cause.asOf), cause);
          break;
        }
        default: {
          const unhandled: never = fact;
          return unhandled;
        }
      }
    }

    if (part.facts.length > 0) {
      await unit.load(part.facts.map((logged) => logged.customerId));
      unit.takeIn(part.facts, clock?.asOf);
    }
    for (const { merge, position } of part.merges) {
      await unit.load([merge.survivor, ...merge.merged]);
      unit.merge(merge, { eventId: merge.eventId, position });
    }

    const changes = unit
      .changesWithin(part.stream, part.firstOffset, part.lastOffset)
      .filter(({ causedAt }) => !isSilent(causedAt));
    await unit.write((position) => isCommitted(position) || isSilent(position));
    return { changes, rescoreRequests };

    async function chunkedRequests(everyone: RescoreRequest): Promise<RescoreRequest[]> {
      const ids: string[] = [];
      for await (const listed of store.customerIds()) if (listed.aliasOf === undefined) ids.push(listed._id);
      ids.sort();
      const requests: RescoreRequest[] = [];
      for (let start = 0; start < ids.length; start += deps.rescoreChunk) {
        requests.push({
          ...everyone,
          id: `${everyone.id}:${start / deps.rescoreChunk}`,
          customerIds: ids.slice(start, start + deps.rescoreChunk),
        });
      }
      return requests;
    }
  }

  /** The customers of this unit of work, as read and as decided. */
  function createUnit() {
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
        model,
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
            model,
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
          model,
          settings,
        );
        if (customer !== document.customer) decide({ ...document, customer });
      },

      /** The changes recorded with a cause in the part (`from`–`to` of `stream`), by any customer read. */
      changesWithin(stream: string, from: number, to: number): PartOutcome["changes"] {
        const changes: PartOutcome["changes"] = [];
        for (const document of new Map([...read, ...decided]).values()) {
          for (const { causedAt, ...change } of changesCausedWithin(document.customer, stream, from, to))
            changes.push({ customerId: document._id, change, causedAt });
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
        for (const document of read.values()) cache.set(document);
        for (const document of documents) cache.set(document);
      },
    };
  }

  return {
    /** Reads the scoring time and the model in force: call once before the first part. */
    async start(): Promise<void> {
      const now = await deps.clock.now();
      clock = now;
      model = await deps.models.inForce();
    },
    /** Decides and writes one part of the log; answers what to publish with it. */
    handle: (part: CustomerPart) => exclusive(() => handle(part)),
    /** Forgets what the cache holds (another writer may have written meanwhile). */
    forget: () => exclusive(async () => cache.clear()),
  };
}

export type CustomerWriter = ReturnType<typeof createCustomerWriter>;

function newerModel(current: PopulationModel | undefined, candidate: PopulationModel): PopulationModel {
  if (current === undefined) return candidate;
  const byTime = Date.parse(candidate.fittedAsOf) - Date.parse(current.fittedAsOf);
  return byTime > 0 || (byTime === 0 && candidate.modelId > current.modelId) ? candidate : current;
}
