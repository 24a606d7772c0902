import { setTimeout as sleep } from "node:timers/promises";
import type { CustomerEvent } from "@rapport/events";
import { statesPersonTraits, traitObservationOf } from "../domain/golden-record-observation.js";
import type { IdentityRules } from "../domain/identifier-rules.js";
import { customersNamedBy, type IdentityEvent } from "../domain/identity-events.js";
import { sourceRecordIdOf } from "../domain/identity-stats.js";
import type { CustomerId } from "../domain/identity-types.js";
import {
  decideResolution,
  type Resolution,
  type ResolutionRequest,
  type UnresolvableEvent,
} from "../domain/resolution.js";
import type { ResolutionDocument } from "./customer-documents.js";
import type { GraphSnapshot, IdentityStore } from "./identity-store.js";
import type { ProbabilisticMatcher } from "./probabilistic-matcher.js";

/**
 * A decision the log holds for an event (crm.events.resolved and crm.identity), as a rebuild applies it
 * again: the same customer, the same identity events, the same matches, never decided afresh.
 */
export type LoggedResolution = {
  customerId: CustomerId;
  identityEvents: IdentityEvent[];
  matchEvents: IdentityEvent[];
};

/** Decisions made stale by another instance are made again; this many times before the batch retries. */
const maxAttempts = 10;

/**
 * Resolves one crm.events event against the stored graph, exactly once in effect. The decision is
 * recorded under the event id before the graph changes, so an event handled again after a crash
 * (its offset not yet committed) commits and publishes the same decision. The customers it touches
 * are locked while it is decided again on fresh documents and written; when that fresh decision
 * reaches customers that were not locked (another instance merged them meanwhile), or another
 * instance claimed one of its new identifiers first, it is decided again: nothing stale is published.
 * Given the decision the log holds for the event (`replay identity`), it applies that one as an
 * event handled again, and fails rather than decide afresh when it no longer applies.
 */
export function createEventResolver(
  store: IdentityStore,
  rules: IdentityRules,
  matcher?: ProbabilisticMatcher,
) {
  return async function resolveEvent(
    event: CustomerEvent,
    logged?: LoggedResolution,
  ): Promise<Resolution | UnresolvableEvent> {
    const request: ResolutionRequest = {
      eventId: event.id,
      time: event.time,
      source: event.source,
      identifiers: event.data.customer.identifiers,
    };
    // The recorded decision is looked up only when recording one finds it there (an event handled
    // again): inserting is the one write FerretDB checks from an index; a lookup scans.
    const observation = traitObservationOf(event);
    let recorded: ResolutionDocument | null =
      logged === undefined ? null : await recordLogged(store, event, logged, statesPersonTraits(observation));
    let replaceRecord = false;
    const decide = (snapshot: GraphSnapshot) =>
      recorded
        ? ({
            kind: "resolved",
            customerId: recorded.customerId,
            identityEvents: recorded.identityEvents,
          } as const)
        : decideResolution(request, snapshot.graph, rules);
    /** Records the decision under the event id; false when one is recorded already (handled again). */
    const record = async (decision: Resolution): Promise<boolean> => {
      if (recorded) return true;
      const document = resolutionDocument(event, decision);
      if (!replaceRecord) return store.insertResolution(document);
      await store.replaceResolution(document);
      return true;
    };
    /**
     * An event of a known customer that links, merges and observes nothing new changes no customer:
     * only its decision is recorded, without locks (a merge racing it is as if it came after it).
     */
    const recordOnly = async (decision: Resolution) => ((await record(decision)) ? decision : "recorded");
    /** Locks the customers the probe touches, decides again on fresh documents and writes that decision. */
    const writeUnderLocks = (probe: Resolution, probeSnapshot: GraphSnapshot) => {
      const locked = store.customersTouchedBy(probe.identityEvents, probe.customerId, probeSnapshot);
      return store.withCustomerLocks(locked, async () => {
        const before = await store.snapshotUnderLocks(request.identifiers, locked, probeSnapshot);
        const decision = decide(before);
        if (decision.kind === "unresolvable") return decision;
        const touched = store.customersTouchedBy(decision.identityEvents, decision.customerId, before);
        if ([...touched].some((id) => !locked.has(id))) return "relock" as const;
        if (!(await record(decision))) return "recorded" as const;
        if ((await store.commit(decision.identityEvents, before)) === "conflict") return "conflict" as const;
        await store.complete(decision.identityEvents, decision.customerId, observation, before);
        return decision;
      });
    };
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const named = recorded
        ? [recorded.customerId, ...recorded.identityEvents.flatMap(customersNamedBy)]
        : [];
      const probeSnapshot = await store.snapshot(request.identifiers, named);
      const probe = decide(probeSnapshot);
      if (probe.kind === "unresolvable") return probe;
      const changesNoCustomer =
        probe.identityEvents.length === 0 &&
        !statesPersonTraits(observation) &&
        !store.changesGoldenRecord(observation, probe.customerId, probeSnapshot);
      const outcome = changesNoCustomer
        ? await recordOnly(probe)
        : await writeUnderLocks(probe, probeSnapshot);
      if (outcome === "recorded") {
        recorded = await store.resolution(event.id);
        continue;
      }
      if (outcome === "relock" || outcome === "conflict") {
        if (outcome === "conflict" && logged !== undefined)
          throw new Error(
            `event ${event.id}: its logged decision (customer ${logged.customerId}) does not apply to the graph rebuilt so far`,
          );
        if (outcome === "conflict") {
          recorded = null;
          replaceRecord = true;
        }
        // Two instances racing for the same customers back off by different amounts.
        await sleep(Math.random() * 10 * attempt);
        continue;
      }
      if (outcome.kind === "unresolvable") return outcome;
      const sourceRecordId = sourceRecordIdOf(request, rules);
      if (sourceRecordId !== undefined) {
        await store.recordSourceRecord({
          _id: sourceRecordId,
          customerId: outcome.customerId,
          source: event.source,
        });
      }
      const matchEvents =
        logged !== undefined
          ? await applyLoggedMatches(matcher, event, logged.matchEvents)
          : matcher && statesPersonTraits(observation)
            ? await matchesAfter(matcher, store, event, outcome, recorded?.matchEvents)
            : [];
      return { ...outcome, identityEvents: [...outcome.identityEvents, ...matchEvents] };
    }
    throw new Error(
      `event ${event.id}: its customers changed under ${maxAttempts} decisions in a row; the batch is retried`,
    );
  };
}

/**
 * Probabilistic matching once the event's own identifiers are settled: decided, recorded with the
 * event's decision, then applied; an event handled again applies what was recorded (or, should the
 * graph have moved on so that it no longer applies, matches afresh).
 */
async function matchesAfter(
  matcher: ProbabilisticMatcher,
  store: IdentityStore,
  event: CustomerEvent,
  resolution: Resolution,
  recorded: IdentityEvent[] | undefined,
): Promise<IdentityEvent[]> {
  if (recorded !== undefined && (await matcher.apply(recorded)) === "applied") return recorded;
  const matchEvents = await matcher.matchCustomer(resolution.customerId, {
    eventId: event.id,
    time: event.time,
  });
  await store.recordMatchEvents(event.id, matchEvents);
  return matchEvents;
}

/**
 * Records a decision read back from the log as this event's (an earlier attempt of a rebuild may have
 * recorded it already): the event is then handled as one handled again. Matching's decisions are
 * recorded with it when the event stated person traits, as matching records them live.
 */
async function recordLogged(
  store: IdentityStore,
  event: CustomerEvent,
  logged: LoggedResolution,
  matched: boolean,
): Promise<ResolutionDocument> {
  const document: ResolutionDocument = {
    ...resolutionDocument(event, { kind: "resolved", ...logged }),
    ...(matched || logged.matchEvents.length > 0 ? { matchEvents: logged.matchEvents } : {}),
  };
  await store.insertResolution(document);
  return document;
}

/** Applies the matches the log holds for the event; they must apply, as they did when they were made. */
async function applyLoggedMatches(
  matcher: ProbabilisticMatcher | undefined,
  event: CustomerEvent,
  matchEvents: readonly IdentityEvent[],
): Promise<IdentityEvent[]> {
  if (matchEvents.length === 0) return [];
  if (matcher === undefined) throw new Error(`event ${event.id}: its logged matches need a matcher to apply`);
  if ((await matcher.apply(matchEvents)) === "conflict")
    throw new Error(`event ${event.id}: its logged matches do not apply to the graph rebuilt so far`);
  return [...matchEvents];
}

function resolutionDocument(event: CustomerEvent, resolution: Resolution): ResolutionDocument {
  return {
    _id: event.id,
    customerId: resolution.customerId,
    source: event.source,
    time: event.time,
    identityEvents: resolution.identityEvents,
  };
}

export type EventResolver = ReturnType<typeof createEventResolver>;
