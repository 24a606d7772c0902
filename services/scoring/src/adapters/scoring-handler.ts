import type { Context } from "@opentelemetry/api";
import {
  type CrmTopics,
  type CustomersMerged,
  customersMergedOf,
  recordJson,
  resolvedEventOf,
} from "@rapport/events";
import { type BatchHandler, type OutgoingRecord, type PoisonMessage, traceHeaders } from "@rapport/kafka";
import type { ContactChannel, CustomerFact, OfferResponse } from "../domain/customer-facts.js";
import type { ScoringSettings } from "../domain/customer-profile.js";
import { factOfEvent } from "../domain/fact-of-event.js";
import {
  type CustomerChange,
  type CustomerUpdate,
  emptyCustomer,
  type ScoredCustomer,
  updateCustomer,
} from "../domain/scored-customer.js";
import { type CustomerStore, type CustomerVersion, VersionConflict } from "./customer-store.js";
import type { PopulationModels } from "./population-models.js";
import type { ScoringClock } from "./scoring-clock.js";
import { customerChangeRecord, scoringFactOf } from "./scoring-records.js";

export type ScoringHandlerDependencies = {
  store: CustomerStore;
  models: PopulationModels;
  clock: ScoringClock;
  topics: CrmTopics;
  settings: ScoringSettings;
  /** Applies an update to a stored customer; the one place versions are read and written. */
  applyUpdate: ApplyUpdate;
};

export type ApplyUpdate = (
  customerId: string,
  update: CustomerUpdate,
  causeEventIds: ReadonlySet<string>,
) => Promise<{ customerId: string; changes: CustomerChange[] }>;

/**
 * Folds a part of a batch from crm.events.resolved, crm.offers, crm.identity and crm.scoring into the stored
 * customers and returns the changes to publish on crm.customer.changes. Facts are grouped per
 * customer (their order does not matter, see customer-history.ts); merges follow, then the clock
 * ticks and model fits that rescore every customer. A record that is none of these is poison.
 */
export function createScoringHandler(deps: ScoringHandlerDependencies): BatchHandler {
  return async (messages) => {
    const poison: PoisonMessage[] = [];
    // Each customer's changes join the trace of the first record of the part that is about them.
    const factsByCustomer = new Map<string, { facts: CustomerFact[]; traceContext: Context }>();
    const addFact = (customerId: string, fact: CustomerFact, traceContext: Context) => {
      const known = factsByCustomer.get(customerId);
      if (known) known.facts.push(fact);
      else factsByCustomer.set(customerId, { facts: [fact], traceContext });
    };
    const merges: { merge: CustomersMerged; traceContext: Context }[] = [];
    const rescores: { asOf: string; eventId: string; traceContext: Context }[] = [];
    for (const message of messages) {
      const { traceContext } = message;
      if (message.topic === deps.topics.resolvedEvents) {
        const resolved = resolvedFactOf(message.value);
        if (typeof resolved === "string") poison.push({ message, reason: "invalid_event", detail: resolved });
        else addFact(resolved.customerId, resolved.fact, traceContext);
      } else if (message.topic === deps.topics.offers) {
        const offerFact = offerFactOf(message.value);
        if (typeof offerFact === "string")
          poison.push({ message, reason: "invalid_offer_event", detail: offerFact });
        else if (offerFact) addFact(offerFact.customerId, offerFact.fact, traceContext);
      } else if (message.topic === deps.topics.identity) {
        const merge = customersMergedOf(message.value);
        if (typeof merge === "string")
          poison.push({ message, reason: "invalid_identity_event", detail: merge });
        else if (merge) merges.push({ merge, traceContext });
      } else {
        const fact = scoringFactOf(message.value);
        if (typeof fact === "string") poison.push({ message, reason: "invalid_scoring_fact", detail: fact });
        else if (fact.type === "crm.v1.ScoringClockTicked")
          rescores.push({ asOf: fact.asOf, eventId: fact.id, traceContext });
        else {
          await deps.models.record(fact.model);
          rescores.push({ asOf: fact.model.fittedAsOf, eventId: fact.id, traceContext });
        }
      }
    }

    const records: OutgoingRecord[] = [];
    const publish = (
      { customerId, changes }: { customerId: string; changes: CustomerChange[] },
      traceContext: Context,
    ) => {
      const headers = traceHeaders(traceContext);
      for (const change of changes)
        records.push(customerChangeRecord(deps.topics, customerId, change, headers));
    };
    for (const rescore of rescores) await deps.clock.advance(rescore.asOf, rescore.eventId);
    for (const [customerId, { facts, traceContext }] of factsByCustomer) {
      publish(
        await deps.applyUpdate(
          customerId,
          { kind: "facts", facts },
          new Set(facts.map((fact) => fact.eventId)),
        ),
        traceContext,
      );
    }
    for (const { merge, traceContext } of merges) publish(await absorb(deps, merge), traceContext);
    for (const rescore of rescores) {
      for await (const version of deps.store.all()) {
        if (version.aliasOf !== undefined) continue;
        publish(
          await deps.applyUpdate(
            version.customerId,
            { kind: "rescore", asOf: Date.parse(rescore.asOf), causeEventId: rescore.eventId },
            new Set([rescore.eventId]),
          ),
          rescore.traceContext,
        );
      }
    }
    return { records, poison };
  };
}

/**
 * Moves merged customers into their survivor: each merged customer's next version becomes an
 * alias of the survivor (so its late events are redirected there), then the survivor absorbs the
 * histories the aliases keep. Handled again after a crash, it finds the aliases and absorbs again,
 * which changes nothing that was already absorbed.
 */
async function absorb(deps: ScoringHandlerDependencies, merge: CustomersMerged) {
  const absorbed: ScoredCustomer[] = [];
  for (const mergedId of merge.merged) {
    for (let attempt = 0; ; attempt += 1) {
      const version = await deps.store.latest(mergedId);
      if (version?.aliasOf !== undefined) {
        absorbed.push(version.customer);
        break;
      }
      const customer = version?.customer ?? emptyCustomer(mergedId, deps.settings);
      try {
        await deps.store.write(version, customer, merge.survivor);
        absorbed.push(customer);
        break;
      } catch (error) {
        if (!(error instanceof VersionConflict) || attempt >= maxAttempts) throw error;
      }
    }
  }
  return deps.applyUpdate(
    merge.survivor,
    { kind: "absorb", merged: absorbed, causeEventId: merge.eventId },
    new Set([merge.eventId]),
  );
}

const maxAttempts = 20;

/**
 * Reads the customer an id stands for now, updates it and stores the result as its next version,
 * reading again when another writer got there first. New facts are scored at least as of the
 * shared scoring clock. When the update changes nothing (its facts were applied before a crash),
 * the changes it caused then are returned again: the Kafka transaction that should have
 * published them never committed.
 *
 * A clock tick or model fit handled while this write was in flight may have rescored every
 * customer without seeing it, so after writing, the clock and model are read again and the
 * customer is rescored when either moved on.
 */
export function createApplyUpdate(
  store: CustomerStore,
  models: PopulationModels,
  clock: ScoringClock,
  settings: ScoringSettings,
): ApplyUpdate {
  const apply: ApplyUpdate = async (customerId, change, causeEventIds) => {
    for (let attempt = 0; ; attempt += 1) {
      const [model, now] = await Promise.all([models.inForce(), clock.now()]);
      const update: CustomerUpdate = change.kind === "facts" && now ? { ...change, clock: now.asOf } : change;
      const version: CustomerVersion | undefined = await store.current(customerId);
      const targetId = version?.customerId ?? customerId;
      const next = updateCustomer(targetId, version?.customer, update, model, settings);
      if (version && next === version.customer) {
        return {
          customerId: targetId,
          changes: next.changes.filter((recorded) => causeEventIds.has(recorded.causeEventId)),
        };
      }
      try {
        await store.write(version, next);
      } catch (error) {
        if (!(error instanceof VersionConflict) || attempt >= maxAttempts) throw error;
        continue;
      }
      const changes = next.changes.slice(version?.customer.changes.length ?? 0);
      const [modelAfter, nowAfter] = await Promise.all([models.inForce(), clock.now()]);
      if (!nowAfter || (nowAfter.asOf <= Date.parse(next.asOf) && modelAfter?.modelId === model?.modelId))
        return { customerId: targetId, changes };
      const rescore = { kind: "rescore", asOf: nowAfter.asOf, causeEventId: nowAfter.causeEventId } as const;
      const later = await apply(targetId, rescore, new Set([nowAfter.causeEventId]));
      return { customerId: targetId, changes: [...changes, ...later.changes] };
    }
  };
  return apply;
}

/** The fact of a crm.events.resolved record and its customer id, or why the record is not one. */
function resolvedFactOf(value: Buffer | null): { customerId: string; fact: CustomerFact } | string {
  const resolved = resolvedEventOf(value);
  if (typeof resolved === "string") return resolved;
  try {
    return { customerId: resolved.customerId, fact: factOfEvent(resolved.event) };
  } catch (error) {
    return `the ${resolved.event.type} data cannot be read: ${(error as Error).message}`;
  }
}

/**
 * The contact fact a crm.offers record holds: an offer presented, or a response recorded over the
 * offer service's API. Undefined for the catalog's and campaigns' events, which scoring does not need.
 */
function offerFactOf(value: Buffer | null): { customerId: string; fact: CustomerFact } | undefined | string {
  const parsed = recordJson(value);
  if (!parsed.ok) return parsed.problem;
  const event = parsed.value as {
    type?: unknown;
    id?: unknown;
    time?: unknown;
    source?: unknown;
    data?: Record<string, unknown>;
  };
  if (event?.type !== "crm.v1.OfferPresented" && event?.type !== "crm.v1.ResponseRecorded") return undefined;
  const { customerId, offerId, channel, campaignId } = event.data ?? {};
  if (
    typeof event.id !== "string" ||
    typeof event.time !== "string" ||
    Number.isNaN(Date.parse(event.time)) ||
    typeof customerId !== "string" ||
    customerId === "" ||
    typeof offerId !== "string"
  )
    return `a ${event.type} needs an id, a time, data.customerId and data.offerId`;
  const origin = {
    eventId: event.id,
    time: new Date(Date.parse(event.time)).toISOString(),
    source: typeof event.source === "string" ? event.source : "offer",
    offerId,
    ...(typeof channel === "string" && channel !== "" ? { channel: channel as ContactChannel } : {}),
    ...(typeof campaignId === "string" && campaignId !== "" ? { campaignId } : {}),
  };
  if (event.type === "crm.v1.OfferPresented")
    return { customerId, fact: { ...origin, kind: "offer_presented" } };
  const response = event.data?.response;
  if (!offerResponses.includes(response as OfferResponse))
    return `a ResponseRecorded needs data.response, one of ${offerResponses.join(", ")}`;
  const revenue = event.data?.revenue as { amountMinor?: unknown } | undefined;
  return {
    customerId,
    fact: {
      ...origin,
      kind: "offer_response",
      response: response as OfferResponse,
      ...(typeof revenue?.amountMinor === "number" ? { revenueMinor: revenue.amountMinor } : {}),
    },
  };
}

const offerResponses: readonly OfferResponse[] = ["accepted", "declined", "no_answer", "converted"];
