import type { CustomersMerged } from "@rapport/events";
import type { ScoringSettings } from "../domain/customer-profile.js";
import type { LogPosition } from "../domain/log-position.js";
import type { PopulationModel } from "../domain/population-model.js";
import type { LoggedFact } from "../domain/scored-customer.js";
import type { CustomerCache } from "./customer-cache.js";
import type { CustomerStore } from "./customer-store.js";
import { type CustomerChangeOf, createCustomerUnit } from "./customer-unit.js";
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
  changes: CustomerChangeOf[];
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
    const unit = createCustomerUnit({ store, cache, settings, model: () => model });
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
            const inForce = newerModel(model, fact.model);
            // A fit as of a time before the model in force answers questions about its time only:
            // it moves neither the clock nor any customer's scores.
            if (inForce !== fact.model) break;
            model = inForce;
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
  // A fit as of the same time replaces the one before it (the models keep one per time).
  return byTime > 0 || (byTime === 0 && candidate.modelId >= current.modelId) ? candidate : current;
}
