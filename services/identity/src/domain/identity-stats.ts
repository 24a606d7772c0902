import type { Identifier } from "@rapport/events";
import { evolveIdentityGraph } from "./evolve-identity-graph.js";
import { byPriority, defaultIdentityRules, type IdentityRules } from "./identifier-rules.js";
import { customersNamedBy, type IdentityEvent } from "./identity-events.js";
import {
  emptyIdentityGraph,
  type IdentityGraph,
  isAnonymousOnly,
  isMerged,
  resolveRoot,
} from "./identity-graph.js";
import { type CustomerId, identifierKey } from "./identity-types.js";

/**
 * Registered versus real customers: how many records the source systems hold, how many people
 * they turn out to be, how many customer ids were duplicates merged away, and how many customers
 * are still anonymous visitors (known only by cookies and devices).
 */
export type IdentityStats = {
  sourceRecords: number;
  uniqueCustomers: number;
  duplicatesMerged: number;
  anonymousOnlyCustomers: number;
};

/** An event of a source record was resolved (see sourceRecordIdOf). */
export type SourceRecordSeen = { type: "SourceRecordSeen"; sourceRecordId: string };

export type IdentityStatsFact = IdentityEvent | SourceRecordSeen;

/**
 * The counts are kept incrementally, from the customers each event touches, as an adapter keeps
 * them in a document; the graph is the state they are computed from.
 */
export type IdentityStatsState = {
  graph: IdentityGraph;
  sourceRecordIds: ReadonlySet<string>;
  stats: IdentityStats;
};

export function initialIdentityStats(): IdentityStatsState {
  return {
    graph: emptyIdentityGraph(),
    sourceRecordIds: new Set(),
    stats: { sourceRecords: 0, uniqueCustomers: 0, duplicatesMerged: 0, anonymousOnlyCustomers: 0 },
  };
}

/**
 * A source record is what one upstream system keeps about one person, named by the system and the
 * strongest identifier it gives (shop/customer_number:C-1001, web/cookie_id:abc): three sign-ups
 * with three emails are three source records, whatever identity makes of them.
 */
export function sourceRecordIdOf(
  event: { source: string; identifiers: readonly Identifier[] },
  rules: IdentityRules = defaultIdentityRules,
): string | undefined {
  const [strongest] = byPriority(rules, event.identifiers);
  return strongest === undefined ? undefined : `${event.source}/${identifierKey(strongest)}`;
}

export function evolveIdentityStats(state: IdentityStatsState, fact: IdentityStatsFact): IdentityStatsState {
  if (fact.type === "SourceRecordSeen") {
    if (state.sourceRecordIds.has(fact.sourceRecordId)) return state;
    const sourceRecordIds = new Set(state.sourceRecordIds).add(fact.sourceRecordId);
    return { ...state, sourceRecordIds, stats: { ...state.stats, sourceRecords: sourceRecordIds.size } };
  }
  const graph = evolveIdentityGraph(state.graph, fact);
  if (graph === state.graph) return state;
  const touched = touchedCustomers(fact, state.graph, graph);
  const before = countCustomers(state.graph, touched);
  const after = countCustomers(graph, touched);
  return {
    ...state,
    graph,
    stats: {
      sourceRecords: state.stats.sourceRecords,
      uniqueCustomers: state.stats.uniqueCustomers + after.uniqueCustomers - before.uniqueCustomers,
      duplicatesMerged: state.stats.duplicatesMerged + after.duplicatesMerged - before.duplicatesMerged,
      anonymousOnlyCustomers:
        state.stats.anonymousOnlyCustomers + after.anonymousOnlyCustomers - before.anonymousOnlyCustomers,
    },
  };
}

/** The same counts from the whole graph: what the incremental counts must always equal. */
export function countIdentityStats(
  graph: IdentityGraph,
  sourceRecordIds: ReadonlySet<string>,
): IdentityStats {
  return { sourceRecords: sourceRecordIds.size, ...countCustomers(graph, graph.customers.keys()) };
}

/** Every customer an identity event can change: the ids it names and, before and after, their roots. */
function touchedCustomers(
  event: IdentityEvent,
  before: IdentityGraph,
  after: IdentityGraph,
): Set<CustomerId> {
  const named = customersNamedBy(event);
  const touched = new Set<CustomerId>(named);
  for (const id of named) {
    for (const root of [resolveRoot(before, id), resolveRoot(after, id)])
      if (root !== undefined) touched.add(root);
  }
  return touched;
}

function countCustomers(
  graph: IdentityGraph,
  ids: Iterable<CustomerId>,
): Omit<IdentityStats, "sourceRecords"> {
  const counts = { uniqueCustomers: 0, duplicatesMerged: 0, anonymousOnlyCustomers: 0 };
  for (const id of ids) {
    const customer = graph.customers.get(id);
    if (customer === undefined) continue;
    if (isMerged(customer)) counts.duplicatesMerged += 1;
    else {
      counts.uniqueCustomers += 1;
      if (isAnonymousOnly(customer)) counts.anonymousOnlyCustomers += 1;
    }
  }
  return counts;
}
