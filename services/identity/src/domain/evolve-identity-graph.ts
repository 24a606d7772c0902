import type { Identifier } from "@rapport/events";
import type { CustomerSplit, CustomersMerged, IdentifierLinked, IdentityEvent } from "./identity-events.js";
import {
  type CustomerNode,
  emptyIdentityGraph,
  type IdentifiersByType,
  type IdentityGraph,
  identifiersOf,
  ownerOf,
  resolveRoot,
} from "./identity-graph.js";
import { type CustomerId, type FirstSeen, identifierKey } from "./identity-types.js";

/**
 * The identity graph after one identity event. Pure and total over the union; every case is
 * idempotent (applying an event again changes nothing), and each touches only the customers and
 * identifiers the event names, which is what lets an adapter apply it as a few document writes.
 */
export function evolveIdentityGraph(graph: IdentityGraph, event: IdentityEvent): IdentityGraph {
  switch (event.type) {
    case "IdentifierLinked":
      return linkIdentifier(graph, event);
    case "CustomersMerged":
      return mergeCustomers(graph, event);
    case "CustomerSplit":
      return splitCustomer(graph, event);
    // Records of what did not happen, and proposals awaiting a person: the graph is unchanged.
    case "MergeRefused":
    case "LinkRefused":
    case "MatchProposed":
    case "MatchDecided":
      return graph;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

export function foldIdentityGraph(
  events: Iterable<IdentityEvent>,
  graph: IdentityGraph = emptyIdentityGraph(),
): IdentityGraph {
  let folded = graph;
  for (const event of events) folded = evolveIdentityGraph(folded, event);
  return folded;
}

/**
 * Insert-if-absent, like the unique index on the identifier an adapter writes through: an
 * identifier already owned by another customer keeps its owner (a decision taken on a stale graph
 * lost the race and is decided again), and a link to a merged id lands on its survivor.
 */
function linkIdentifier(graph: IdentityGraph, event: IdentifierLinked): IdentityGraph {
  const key = identifierKey(event.identifier);
  const target = resolveRoot(graph, event.customerId) ?? event.customerId;
  const owner = graph.owners.get(key);
  if (owner !== undefined && (resolveRoot(graph, owner) ?? owner) !== target) return graph;
  const draft = draftOf(graph);
  const customer =
    draft.customers.get(target) ?? founded(target, { time: event.time, eventId: event.eventId });
  draft.customers.set(target, withIdentifiers(customer, [event.identifier]));
  draft.owners.set(key, target);
  return draft;
}

/**
 * Each merged id (and the root it resolves to, should it have been merged elsewhere since) becomes
 * an alias of the survivor's root and hands over its identifiers and the customers it is kept
 * apart from. Re-applying finds nothing left to move; applying after a partial write finishes it.
 */
function mergeCustomers(graph: IdentityGraph, event: CustomersMerged): IdentityGraph {
  const target = resolveRoot(graph, event.survivor);
  if (target === undefined) return graph;
  const draft = draftOf(graph);
  for (const mergedId of event.merged) {
    const root = resolveRoot(draft, mergedId);
    for (const id of new Set([mergedId, root])) {
      if (id === undefined || id === target) continue;
      moveEverything(draft, id, target);
    }
  }
  return draft;
}

function moveEverything(draft: Draft, from: CustomerId, to: CustomerId): void {
  const source = draft.customers.get(from);
  const destination = draft.customers.get(to);
  if (source === undefined || destination === undefined) return;
  const moving = identifiersOf(source);
  draft.customers.set(to, keptApart(withIdentifiers(destination, moving), source.keptApartFrom ?? []));
  draft.customers.set(from, { ...source, identifiers: {}, mergedInto: source.mergedInto ?? to });
  for (const identifier of moving) draft.owners.set(identifierKey(identifier), to);
}

/**
 * The named identifiers still owned by the split customer move to the new one; any other is left
 * where it is (it moved already, or was never the customer's). Both customers remember the split,
 * so that no later event sharing their identifiers merges them back.
 */
function splitCustomer(graph: IdentityGraph, event: CustomerSplit): IdentityGraph {
  const from = resolveRoot(graph, event.customerId);
  if (from === undefined) return graph;
  const to = resolveRoot(graph, event.newCustomerId) ?? event.newCustomerId;
  const draft = draftOf(graph);
  const moving = event.identifiers.filter((identifier) => ownerOf(graph, identifier) === from);
  const source = draft.customers.get(from);
  if (source !== undefined) draft.customers.set(from, keptApart(withoutIdentifiers(source, moving), [to]));
  const destination = draft.customers.get(to) ?? founded(to, { time: event.time, eventId: event.eventId });
  draft.customers.set(to, keptApart(withIdentifiers(destination, moving), [from]));
  for (const identifier of moving) draft.owners.set(identifierKey(identifier), to);
  return draft;
}

type Draft = { customers: Map<CustomerId, CustomerNode>; owners: Map<string, CustomerId> };

/**
 * A shallow copy of both maps per event: linear in the graph's size, which suits the tests and
 * replays in memory this fold serves; the service applies the same events as document writes.
 */
function draftOf(graph: IdentityGraph): Draft {
  return { customers: new Map(graph.customers), owners: new Map(graph.owners) };
}

function founded(id: CustomerId, firstSeen: FirstSeen): CustomerNode {
  return { id, firstSeen, identifiers: {} };
}

function withIdentifiers(customer: CustomerNode, added: readonly Identifier[]): CustomerNode {
  const identifiers: Partial<Record<Identifier["type"], readonly string[]>> = { ...customer.identifiers };
  for (const { type, value } of added) {
    const values = identifiers[type] ?? [];
    if (!values.includes(value)) identifiers[type] = [...values, value];
  }
  return { ...customer, identifiers };
}

/** A set (added once, order of first addition), so a merge or a split applied again adds nothing. */
function keptApart(customer: CustomerNode, others: readonly CustomerId[]): CustomerNode {
  const current = customer.keptApartFrom ?? [];
  const added = others.filter((other) => other !== customer.id && !current.includes(other));
  return added.length === 0 ? customer : { ...customer, keptApartFrom: [...current, ...added] };
}

function withoutIdentifiers(customer: CustomerNode, removed: readonly Identifier[]): CustomerNode {
  const identifiers: Partial<Record<Identifier["type"], readonly string[]>> = { ...customer.identifiers };
  for (const { type, value } of removed) {
    const values = (identifiers[type] ?? []).filter((held) => held !== value);
    if (values.length > 0) identifiers[type] = values;
    else delete identifiers[type];
  }
  return { ...customer, identifiers: identifiers satisfies IdentifiersByType };
}
