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
import { type CustomerId, type FirstSeen, type IdentifierKey, identifierKey } from "./identity-types.js";

/**
 * The identity graph after one identity event. Pure and total over the union; every case is
 * idempotent (applying an event again changes nothing), and each touches only the customers and
 * identifiers the event names, which is what lets an adapter apply it as a few document writes.
 */
export function evolveIdentityGraph(graph: IdentityGraph, event: IdentityEvent): IdentityGraph {
  const draft = draftOf(graph);
  applyIdentityEvent(draft, event);
  return draft;
}

export function foldIdentityGraph(
  events: Iterable<IdentityEvent>,
  graph: IdentityGraph = emptyIdentityGraph(),
): IdentityGraph {
  const draft = draftOf(graph);
  for (const event of events) applyIdentityEvent(draft, event);
  return draft;
}

/**
 * A working copy of (part of) the graph that identity events are applied to in place: one copy per
 * part of crm.events, however many events the part holds. Nodes are never changed in place: a
 * changed customer is a new node, so comparing a draft's nodes with the ones it was copied from tells
 * what changed.
 */
export type GraphDraft = { customers: Map<CustomerId, CustomerNode>; owners: Map<IdentifierKey, CustomerId> };

export function draftOf(graph: IdentityGraph): GraphDraft {
  return { customers: new Map(graph.customers), owners: new Map(graph.owners) };
}

/** `evolveIdentityGraph` on a draft: the draft becomes the graph after the event. */
export function applyIdentityEvent(draft: GraphDraft, event: IdentityEvent): void {
  switch (event.type) {
    case "IdentifierLinked":
      linkIdentifier(draft, event);
      return;
    case "CustomersMerged":
      mergeCustomers(draft, event);
      return;
    case "CustomerSplit":
      splitCustomer(draft, event);
      return;
    // Records of what did not happen, and proposals awaiting a person: the graph is unchanged.
    case "MergeRefused":
    case "LinkRefused":
    case "MatchProposed":
    case "MatchDecided":
    case "DecisionRefused":
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`unknown identity event ${JSON.stringify(unhandled)}`);
    }
  }
}

/**
 * Insert-if-absent, like the unique index on the identifier an adapter writes through: an
 * identifier already owned by another customer keeps its owner (a decision taken on a stale graph
 * lost the race and is decided again), and a link to a merged id lands on its survivor.
 */
function linkIdentifier(draft: GraphDraft, event: IdentifierLinked): void {
  const key = identifierKey(event.identifier);
  const target = resolveRoot(draft, event.customerId) ?? event.customerId;
  const owner = draft.owners.get(key);
  if (owner !== undefined && (resolveRoot(draft, owner) ?? owner) !== target) return;
  const customer =
    draft.customers.get(target) ?? founded(target, { time: event.time, eventId: event.eventId });
  draft.customers.set(target, withIdentifiers(customer, [event.identifier]));
  if (owner !== target) draft.owners.set(key, target);
}

/**
 * Each merged id (and the root it resolves to, should it have been merged elsewhere since) becomes
 * an alias of the survivor's root and hands over its identifiers and the customers it is kept
 * apart from. Re-applying finds nothing left to move; applying after a partial write finishes it.
 */
function mergeCustomers(draft: GraphDraft, event: CustomersMerged): void {
  const target = resolveRoot(draft, event.survivor);
  if (target === undefined) return;
  for (const mergedId of event.merged) {
    const root = resolveRoot(draft, mergedId);
    for (const id of new Set([mergedId, root])) {
      if (id === undefined || id === target) continue;
      moveEverything(draft, id, target);
    }
  }
}

function moveEverything(draft: GraphDraft, from: CustomerId, to: CustomerId): void {
  const source = draft.customers.get(from);
  const destination = draft.customers.get(to);
  if (source === undefined || destination === undefined) return;
  const moving = identifiersOf(source);
  draft.customers.set(to, keptApart(withIdentifiers(destination, moving), source.keptApartFrom ?? []));
  if (moving.length > 0 || source.mergedInto === undefined)
    draft.customers.set(from, { ...source, identifiers: {}, mergedInto: source.mergedInto ?? to });
  for (const identifier of moving) draft.owners.set(identifierKey(identifier), to);
}

/**
 * The named identifiers still owned by the split customer move to the new one; any other is left
 * where it is (it moved already, or was never the customer's). Both customers remember the split,
 * so that no later event sharing their identifiers merges them back.
 */
function splitCustomer(draft: GraphDraft, event: CustomerSplit): void {
  const from = resolveRoot(draft, event.customerId);
  if (from === undefined) return;
  const to = resolveRoot(draft, event.newCustomerId) ?? event.newCustomerId;
  const moving = event.identifiers.filter((identifier) => ownerOf(draft, identifier) === from);
  const source = draft.customers.get(from);
  if (source !== undefined) draft.customers.set(from, keptApart(withoutIdentifiers(source, moving), [to]));
  const destination = draft.customers.get(to) ?? founded(to, { time: event.time, eventId: event.eventId });
  draft.customers.set(to, keptApart(withIdentifiers(destination, moving), [from]));
  for (const identifier of moving) draft.owners.set(identifierKey(identifier), to);
}

function founded(id: CustomerId, firstSeen: FirstSeen): CustomerNode {
  return { id, firstSeen, identifiers: {} };
}

/** The customer holding the identifiers too; the same node when it holds them all already. */
function withIdentifiers(customer: CustomerNode, added: readonly Identifier[]): CustomerNode {
  const identifiers: Partial<Record<Identifier["type"], readonly string[]>> = { ...customer.identifiers };
  let changed = false;
  for (const { type, value } of added) {
    const values = identifiers[type] ?? [];
    if (values.includes(value)) continue;
    identifiers[type] = [...values, value];
    changed = true;
  }
  return changed ? { ...customer, identifiers } : customer;
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
