import type { CustomerEvent } from "@rapport/events";
import {
  customersNamedBy,
  type IdentityEvent,
  isPersonDecisionEvent,
  isProbabilisticMatchEvent,
} from "./identity-events.js";
import { type CustomerId, customerIdFoundedBy, type EventId } from "./identity-types.js";

/** Where a record sits in the log: its partition's order, and the broker's timestamp across partitions. */
export type LogPlace = { topic: string; partition: number; offset: bigint; timestamp: number };

/** An event as crm.events.resolved holds it: with the customer identity resolved it to. */
export type LoggedResolvedEvent = { place: LogPlace; event: CustomerEvent; customerId: CustomerId };

/** An identity event as crm.identity holds it, with its place among its decision's events. */
export type LoggedIdentityEvent = { place: LogPlace; event: IdentityEvent; position: number };

/**
 * One decision identity made, as its log records it: the resolution of a crm.events event (its
 * customer, what the rules decided about its identifiers, then what probabilistic matching decided
 * after it), or a person's decision made over gRPC (a split, a decision on a proposed match).
 */
export type LoggedDecision =
  | {
      kind: "resolution";
      event: CustomerEvent;
      customerId: CustomerId;
      identityEvents: IdentityEvent[];
      matchEvents: IdentityEvent[];
    }
  | { kind: "operator"; eventId: EventId; identityEvents: IdentityEvent[] };

type Placed = { place: LogPlace; decision: LoggedDecision };

/**
 * The decisions of the log, in an order they can be applied again in. Each partition keeps its
 * order; partitions are interleaved by the broker's timestamps. Those are when a transaction of
 * decisions was written, not when each decision was made: a decision can be written before one
 * that was made earlier, in another partition. What that inverts is a decision naming a customer
 * before the decision founding it (or deciding a proposal before the one proposing it), so a decision
 * is held back until every customer it names is founded (customer ids derive from the founding fact's
 * id) and every proposal it decides is made. Every other inversion is harmless: a link to a merged
 * customer lands on its survivor, and merges compose.
 *
 * A log read while identity decides can end anywhere, so what a read leaves unfinished is handed
 * back, to go with the next read (`EarlierReads`): the decisions waiting for a customer or a proposal
 * no decision of the read brings (its founder was written later, in another partition), and the
 * identity events of a resolution whose resolved event was not read yet (both are written in one
 * transaction, to several partitions; a person's decision, a split or a decision on a proposal, has
 * no resolved event). After the last read, the decisions still waiting are the log's orphans: applying
 * them will say so.
 */
export function orderLoggedDecisions(
  resolved: readonly LoggedResolvedEvent[],
  identity: readonly LoggedIdentityEvent[],
  earlier: EarlierReads = { applied: new Set(), waiting: [], awaitingResolvedEvent: [] },
): { decisions: LoggedDecision[]; waiting: LoggedDecision[]; awaitingResolvedEvent: LoggedIdentityEvent[] } {
  const byFact = new Map<EventId, LoggedIdentityEvent[]>();
  for (const logged of [...earlier.awaitingResolvedEvent, ...identity]) {
    const group = byFact.get(logged.event.eventId);
    if (group === undefined) byFact.set(logged.event.eventId, [logged]);
    else group.push(logged);
  }
  const inPosition = (group: readonly LoggedIdentityEvent[]) =>
    [...group].sort((a, b) => a.position - b.position).map(({ event }) => event);

  const placed: Placed[] = [];
  const seen = new Set<EventId>();
  for (const { place, event, customerId } of resolved) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    const events = inPosition(byFact.get(event.id) ?? []);
    placed.push({
      place,
      decision: {
        kind: "resolution",
        event,
        customerId,
        identityEvents: events.filter((identityEvent) => !isProbabilisticMatchEvent(identityEvent)),
        matchEvents: events.filter(isProbabilisticMatchEvent),
      },
    });
  }
  const awaitingResolvedEvent: LoggedIdentityEvent[] = [];
  for (const [eventId, group] of byFact) {
    if (seen.has(eventId)) continue;
    if (!group.some(({ event }) => isPersonDecisionEvent(event))) {
      awaitingResolvedEvent.push(...group);
      continue;
    }
    const first = group.reduce((earliest, logged) =>
      logged.position < earliest.position ? logged : earliest,
    );
    placed.push({
      place: first.place,
      decision: { kind: "operator", eventId, identityEvents: inPosition(group) },
    });
  }
  const { ordered, waiting } = dependenciesFirst(
    [...earlier.waiting, ...interleaved(placed)],
    earlier.applied,
  );
  return { decisions: ordered, waiting, awaitingResolvedEvent };
}

/** Each partition in offset order; across partitions, the earliest timestamp first. */
function interleaved(placed: readonly Placed[]): LoggedDecision[] {
  const partitions = new Map<string, Placed[]>();
  for (const entry of placed) {
    const key = `${entry.place.topic}:${entry.place.partition}`;
    const entries = partitions.get(key);
    if (entries === undefined) partitions.set(key, [entry]);
    else entries.push(entry);
  }
  const queues = [...partitions.values()].map((entries) => ({
    entries: entries.sort((a, b) => (a.place.offset < b.place.offset ? -1 : 1)),
    next: 0,
  }));
  const ordered: LoggedDecision[] = [];
  for (;;) {
    let earliest: { queue: (typeof queues)[number]; head: Placed } | undefined;
    for (const queue of queues) {
      const head = queue.entries[queue.next];
      if (
        head !== undefined &&
        (earliest === undefined || head.place.timestamp < earliest.head.place.timestamp)
      )
        earliest = { queue, head };
    }
    if (earliest === undefined) return ordered;
    ordered.push(earliest.head.decision);
    earliest.queue.next += 1;
  }
}

/** The customer a decision founds, if it founds one: its id derives from the decision's fact. */
function customerFoundedBy(decision: LoggedDecision): CustomerId {
  return customerIdFoundedBy(decision.kind === "resolution" ? decision.event.id : decision.eventId);
}

function eventsOf(decision: LoggedDecision): IdentityEvent[] {
  return decision.kind === "resolution"
    ? [...decision.identityEvents, ...decision.matchEvents]
    : decision.identityEvents;
}

/** What a decision brings into being for later ones: the customer it founds, the proposals it makes. */
function providedBy(decision: LoggedDecision): string[] {
  return [
    `customer:${customerFoundedBy(decision)}`,
    ...eventsOf(decision).flatMap((event) =>
      event.type === "MatchProposed" ? [`proposal:${event.proposalId}`] : [],
    ),
  ];
}

/**
 * What applied decisions brought into being (the customers they founded, the proposals they made):
 * what later decisions may need, kept without the decisions themselves.
 */
export type AppliedDecisions = Set<string>;

/** What the reads of the log before this one left: what their decisions brought, and what they left unfinished. */
export type EarlierReads = {
  applied: AppliedDecisions;
  waiting: readonly LoggedDecision[];
  awaitingResolvedEvent: readonly LoggedIdentityEvent[];
};

export function markApplied(applied: AppliedDecisions, decision: LoggedDecision): void {
  for (const key of providedBy(decision)) applied.add(key);
}

/** What must exist before a decision applies: the customers it names, the proposals it decides. */
function neededBy(decision: LoggedDecision): string[] {
  const events = eventsOf(decision);
  const customers = new Set(events.flatMap(customersNamedBy));
  if (decision.kind === "resolution") customers.add(decision.customerId);
  customers.delete(customerFoundedBy(decision));
  return [
    ...[...customers].map((id) => `customer:${id}`),
    ...events.flatMap((event) => (event.type === "MatchDecided" ? [`proposal:${event.proposalId}`] : [])),
  ];
}

/**
 * The decisions in the given order, except that one needing a customer or a proposal not there yet
 * waits for the decision bringing it. Those needing what none of them brings wait, in order, and so
 * do the decisions waiting for them.
 */
function dependenciesFirst(
  decisions: readonly LoggedDecision[],
  appliedBefore: AppliedDecisions,
): { ordered: LoggedDecision[]; waiting: LoggedDecision[] } {
  const providers = new Set(decisions.flatMap(providedBy));
  const there = new Set(appliedBefore);
  const waiting = new Map<string, LoggedDecision[]>();
  const ordered: LoggedDecision[] = [];
  const orphans: LoggedDecision[] = [];

  const place = (decision: LoggedDecision) => {
    const missing = neededBy(decision).find((key) => !there.has(key));
    if (missing === undefined) {
      ordered.push(decision);
      for (const key of providedBy(decision)) {
        there.add(key);
        const released = waiting.get(key) ?? [];
        waiting.delete(key);
        for (const waiter of released) place(waiter);
      }
      return;
    }
    if (!providers.has(missing)) {
      orphans.push(decision);
      return;
    }
    waiting.set(missing, [...(waiting.get(missing) ?? []), decision]);
  };
  for (const decision of decisions) place(decision);
  return { ordered, waiting: [...orphans, ...[...waiting.values()].flat()] };
}
