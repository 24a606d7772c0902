import type { Identifier } from "@rapport/events";
import { byPriority, defaultIdentityRules, type IdentityRules } from "./identifier-rules.js";
import type { IdentityEvent, MergeRule } from "./identity-events.js";
import {
  type CustomerNode,
  type IdentifiersByType,
  type IdentityGraph,
  identifierCount,
  isAnonymousOnly,
  ownerOf,
} from "./identity-graph.js";
import { type CustomerId, customerIdFoundedBy, type EventId, type EventTime } from "./identity-types.js";
import { isKeptApart, type MergeProtection, mergeProtection } from "./merge-protection.js";
import { chooseSurvivor } from "./survivor.js";

/**
 * What resolution needs of a crm.events event: who it is about, and the event's own id and time.
 * The source is carried for the caller's bookkeeping (source records, see identity-stats.ts).
 */
export type ResolutionRequest = {
  eventId: EventId;
  time: EventTime;
  source: string;
  identifiers: readonly Identifier[];
};

/** The customer the event belongs to, and the identity events that make the graph agree. */
export type Resolution = { kind: "resolved"; customerId: CustomerId; identityEvents: IdentityEvent[] };

/** Ingestion rejects events without identifiers; one arriving anyway cannot belong to anyone. */
export type UnresolvableEvent = { kind: "unresolvable"; reason: "no_identifiers" };

/**
 * Decides which customer an event belongs to. The event's identifiers are taken strongest first
 * (rules.priority); the first one decides the event's customer, and every other one either joins
 * it (the customer owning it is merged in, or the unowned identifier is linked) or, where a
 * protection rule forbids that, is refused and stays where it was. Nothing is merged or linked
 * that would break a rule, and a customer refused by one rule is never half-merged.
 *
 * When no identifier is known the event founds a customer whose id derives from the event id.
 * When several customers join, the survivor is the earliest first seen (survivor.ts), not
 * necessarily the one of the strongest identifier: ids that downstream systems hold must not
 * change with the order identifiers happen to be listed in.
 *
 * Confluence: when no rule is in play, every customer an event reaches is merged and every new
 * identifier linked, so the final customers are the groups of identifiers that ever met in one
 * event, whatever order the events came in (see resolution.property.test.ts). Customer ids are not
 * order-free (the first event of a group founds it), which is why a replay keeps the log's order.
 *
 * Reads only the owners of the event's identifiers, those customers' nodes and the alias chains of
 * the customers they are kept apart from, so an adapter can pass a graph loaded with just those
 * documents; a decision made on a graph another instance has changed since is caught by the
 * insert-if-absent link (evolve-identity-graph.ts) and decided again.
 */
export function decideResolution(
  event: ResolutionRequest,
  graph: IdentityGraph,
  rules: IdentityRules = defaultIdentityRules,
): Resolution | UnresolvableEvent {
  const identifiers = byPriority(rules, event.identifiers);
  if (identifiers.length === 0) return { kind: "unresolvable", reason: "no_identifiers" };

  const reach = reachOf(identifiers, graph, rules);
  const customerId =
    reach.joined.length === 0 ? customerIdFoundedBy(event.eventId) : mergedGroupOf(reach.joined).survivor.id;
  const fact: Fact = { eventId: event.eventId, time: event.time };
  return {
    kind: "resolved",
    customerId,
    identityEvents: [
      ...mergeOf(reach, fact),
      ...reach.linked.map(
        (identifier): IdentityEvent => ({ type: "IdentifierLinked", customerId, identifier, ...fact }),
      ),
      ...reach.refused.map((refusal) => refusalEvent(refusal, customerId, fact)),
    ],
  };
}

/** The event an identity event stems from. */
type Fact = { eventId: EventId; time: EventTime };

type Refusal =
  | { kind: "merge"; customerId: CustomerId; identifier: Identifier; protection: MergeProtection }
  | { kind: "link"; identifier: Identifier; limit: number };

/** Where an event's identifiers lead: customers that join, identifiers to link, and refusals. */
type Reach = {
  joined: CustomerNode[];
  /** The event's identifiers owned by joined customers: the evidence of a merge. */
  bridging: Identifier[];
  linked: Identifier[];
  refused: Refusal[];
};

function reachOf(identifiers: readonly Identifier[], graph: IdentityGraph, rules: IdentityRules): Reach {
  const reach: Reach = { joined: [], bridging: [], linked: [], refused: [] };
  const held = (): IdentifiersByType[] => [
    ...reach.joined.map((customer) => customer.identifiers),
    byType(reach.linked),
  ];
  for (const identifier of identifiers) {
    const owner = ownerOf(graph, identifier);
    const customer = owner === undefined ? undefined : graph.customers.get(owner);
    if (customer === undefined) {
      const limit = rules.limits[identifier.type];
      const count = held().reduce(
        (sum, part) => sum + identifierCount({ identifiers: part }, identifier.type),
        0,
      );
      if (count >= limit) reach.refused.push({ kind: "link", identifier, limit });
      else reach.linked.push(identifier);
      continue;
    }
    if (reach.joined.some((joined) => joined.id === customer.id)) {
      reach.bridging.push(identifier);
      continue;
    }
    // The strongest identifier is never refused: whoever it names is the event's customer.
    const isFirst = reach.joined.length + reach.linked.length === 0;
    const protection = isFirst ? undefined : protectionAgainst(customer, reach, held(), graph, rules);
    if (protection === undefined) {
      reach.joined.push(customer);
      reach.bridging.push(identifier);
    } else {
      reach.refused.push({ kind: "merge", customerId: customer.id, identifier, protection });
    }
  }
  return reach;
}

/** What keeps a customer out of the group the event has gathered so far, if anything. */
function protectionAgainst(
  customer: CustomerNode,
  reach: Reach,
  held: readonly IdentifiersByType[],
  graph: IdentityGraph,
  rules: IdentityRules,
): MergeProtection | undefined {
  if (isKeptApart(graph, reach.joined, customer)) return { rule: "split_apart" };
  return mergeProtection(rules, [...held, customer.identifiers]);
}

function refusalEvent(refusal: Refusal, customerId: CustomerId, fact: Fact): IdentityEvent {
  switch (refusal.kind) {
    case "merge": {
      const { rule, identifierType } = refusal.protection;
      return {
        type: "MergeRefused",
        customers: [customerId, refusal.customerId],
        identifier: refusal.identifier,
        rule,
        ...(identifierType === undefined ? {} : { identifierType }),
        ...fact,
      };
    }
    case "link":
      return {
        type: "LinkRefused",
        customerId,
        identifier: refusal.identifier,
        rule: "identifier_limit",
        limit: refusal.limit,
        ...fact,
      };
    default: {
      const unhandled: never = refusal;
      return unhandled;
    }
  }
}

function mergedGroupOf(joined: readonly CustomerNode[]): { survivor: CustomerNode; merged: CustomerNode[] } {
  const [first, ...rest] = joined;
  if (first === undefined) throw new Error("a merged group has at least one customer");
  return chooseSurvivor([first, ...rest]);
}

function mergeOf(reach: Reach, fact: Fact): IdentityEvent[] {
  if (reach.joined.length < 2) return [];
  const { survivor, merged } = mergedGroupOf(reach.joined);
  return [
    {
      type: "CustomersMerged",
      survivor: survivor.id,
      merged: merged.map((customer) => customer.id),
      rule: mergeRuleOf(reach.joined),
      evidence: { kind: "shared_identifiers", identifiers: reach.bridging },
      ...fact,
    },
  ];
}

/** A login or an order that joins a visitor's cookies to a known person is told apart for reporting. */
function mergeRuleOf(joined: readonly CustomerNode[]): MergeRule {
  const known = joined.filter((customer) => !isAnonymousOnly(customer));
  return known.length <= 1 ? "anonymous_stitch" : "shared_identifier";
}

function byType(identifiers: readonly Identifier[]): IdentifiersByType {
  const grouped: Partial<Record<Identifier["type"], string[]>> = {};
  for (const { type, value } of identifiers) grouped[type] = [...(grouped[type] ?? []), value];
  return grouped;
}
