import type { Identifier } from "@rapport/events";

/** What the events make of the identity graph when each is resolved in the order given. */
export type CustomerGroups = {
  /** Customers at the end: groups of identifiers that ever met in one event. */
  customers: number;
  /** Events that named identifiers of two or more customers known before them (a merge). */
  mergingEvents: number;
  /** Events whose identifiers were all new (each founds a customer). */
  foundingEvents: number;
  /** The group of each identifier at the end, by `type:value`: identifiers of one customer share it. */
  groupOf(identifier: Identifier): number | undefined;
};

const keyOf = ({ type, value }: Identifier) => `${type}:${value}`;

/**
 * The customers a sequence of events makes when no protection rule is in play (no customer holds
 * two customer numbers or more identifiers than a limit): identifiers named together belong to one
 * customer, transitively (union-find). The final groups do not depend on the order the events are
 * resolved in (identity's confluence), the number of merging events does.
 */
export function customerGroupsOf(events: Iterable<readonly Identifier[]>): CustomerGroups {
  const parent = new Map<string, string>();
  const root = (key: string): string => {
    let current = key;
    for (let next = parent.get(current); next !== undefined && next !== current; next = parent.get(current)) {
      // Path halving: point at the grandparent on the way up.
      const grandparent = parent.get(next) ?? next;
      parent.set(current, grandparent);
      current = grandparent;
    }
    return current;
  };
  let mergingEvents = 0;
  let foundingEvents = 0;
  for (const identifiers of events) {
    const keys = identifiers.map(keyOf);
    const known = new Set(keys.filter((key) => parent.has(key)).map(root));
    if (known.size >= 2) mergingEvents += 1;
    if (known.size === 0) foundingEvents += 1;
    const [first, ...rest] = keys;
    if (first === undefined) continue;
    for (const key of keys) if (!parent.has(key)) parent.set(key, key);
    const survivor = root(first);
    for (const key of rest) parent.set(root(key), survivor);
  }
  const roots = new Map<string, number>();
  for (const key of parent.keys()) {
    const top = root(key);
    if (!roots.has(top)) roots.set(top, roots.size);
  }
  return {
    customers: roots.size,
    mergingEvents,
    foundingEvents,
    groupOf: (identifier) => {
      const key = keyOf(identifier);
      return parent.has(key) ? roots.get(root(key)) : undefined;
    },
  };
}
