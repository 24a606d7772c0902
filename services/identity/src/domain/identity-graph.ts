import { type Identifier, type IdentifierType, identifierTypes } from "@rapport/events";
import { isAnonymousIdentifierType } from "./identifier-rules.js";
import {
  type CustomerId,
  compareText,
  type FirstSeen,
  type IdentifierKey,
  identifierKey,
} from "./identity-types.js";

/** The values a customer holds, per identifier type (the shape a customer document stores). */
export type IdentifiersByType = Readonly<Partial<Record<IdentifierType, readonly string[]>>>;

/**
 * A customer in the graph. A merged customer keeps its node with `mergedInto` set and no
 * identifiers of its own: its id stays an alias that resolves to the survivor for ever.
 */
export type CustomerNode = {
  id: CustomerId;
  firstSeen: FirstSeen;
  identifiers: IdentifiersByType;
  mergedInto?: CustomerId;
  /** Customers split from this one (or it from them): never merged with it by a shared identifier. */
  keptApartFrom?: readonly CustomerId[];
};

/**
 * The identity graph: every customer ever founded, and the owner of every linked identifier.
 * An owner may be an alias (a document not yet re-pointed after a merge); every lookup goes through
 * resolveRoot, so the answer is the survivor either way.
 */
export type IdentityGraph = {
  customers: ReadonlyMap<CustomerId, CustomerNode>;
  owners: ReadonlyMap<IdentifierKey, CustomerId>;
};

export function emptyIdentityGraph(): IdentityGraph {
  return { customers: new Map(), owners: new Map() };
}

/**
 * The customer an id stands for today: itself, or the survivor at the end of its chain of merges.
 * Undefined for an id the graph has never seen.
 */
export function resolveRoot(graph: IdentityGraph, customerId: CustomerId): CustomerId | undefined {
  let current = graph.customers.get(customerId);
  // A chain never loops when built by evolve; the guard keeps a corrupt document from hanging a lookup.
  const visited = new Set<CustomerId>();
  while (current?.mergedInto !== undefined && !visited.has(current.id)) {
    visited.add(current.id);
    const next = graph.customers.get(current.mergedInto);
    if (next === undefined) return current.mergedInto;
    current = next;
  }
  return current?.id;
}

/** The customer (a root) an identifier belongs to, if any. */
export function ownerOf(graph: IdentityGraph, identifier: Identifier): CustomerId | undefined {
  const owner = graph.owners.get(identifierKey(identifier));
  return owner === undefined ? undefined : resolveRoot(graph, owner);
}

/** The root customer's node for any id, alias or not. */
export function rootCustomer(graph: IdentityGraph, customerId: CustomerId): CustomerNode | undefined {
  const root = resolveRoot(graph, customerId);
  return root === undefined ? undefined : graph.customers.get(root);
}

export function identifiersOf(customer: CustomerNode): Identifier[] {
  return identifierTypes.flatMap((type) =>
    (customer.identifiers[type] ?? []).map((value): Identifier => ({ type, value })),
  );
}

export function identifierCount(customer: Pick<CustomerNode, "identifiers">, type: IdentifierType): number {
  return customer.identifiers[type]?.length ?? 0;
}

export function isMerged(customer: CustomerNode): boolean {
  return customer.mergedInto !== undefined;
}

/** A customer known only by cookies and devices: a visitor, not yet a known person. */
export function isAnonymousOnly(customer: CustomerNode): boolean {
  const identifiers = identifiersOf(customer);
  return identifiers.length > 0 && identifiers.every(({ type }) => isAnonymousIdentifierType(type));
}

/** The customers that are not aliases. */
export function rootCustomers(graph: IdentityGraph): CustomerNode[] {
  return [...graph.customers.values()].filter((customer) => !isMerged(customer));
}

/**
 * Which identifiers are one customer, whatever the customers are called: each root's identifier
 * keys, sorted, and the groups sorted. Two graphs that agree on who is whom have equal partitions.
 */
export function identifierPartition(graph: IdentityGraph): IdentifierKey[][] {
  const groups = new Map<CustomerId, IdentifierKey[]>();
  for (const [key, owner] of graph.owners) {
    const root = resolveRoot(graph, owner) ?? owner;
    const group = groups.get(root) ?? [];
    group.push(key);
    groups.set(root, group);
  }
  return [...groups.values()]
    .map((keys) => keys.sort(compareText))
    .sort((a, b) => compareText(a[0] ?? "", b[0] ?? ""));
}
