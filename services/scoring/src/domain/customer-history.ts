import { type CustomerFact, compareFacts } from "./customer-facts.js";

/**
 * Everything scoring knows of one customer: the facts of its events, each once, in the order of
 * compareFacts. It is a monoid under `combineHistories` with `emptyHistory`, and recording a fact is
 * combining with a one-fact history, so folding any order or grouping of the same events (a replay,
 * a redelivery, a late batch, a merge of two customers) gives the same history.
 */
export type CustomerHistory = { facts: readonly CustomerFact[] };

export function emptyHistory(): CustomerHistory {
  return { facts: [] };
}

/** The history with `fact` in its place; unchanged when a fact of that event is already there. */
export function recordFact(history: CustomerHistory, fact: CustomerFact): CustomerHistory {
  if (hasEvent(history, fact.eventId)) return history;
  const facts = [...history.facts];
  facts.splice(insertionIndex(facts, fact), 0, fact);
  return { facts };
}

export function combineHistories(a: CustomerHistory, b: CustomerHistory): CustomerHistory {
  const known = new Set(a.facts.map((fact) => fact.eventId));
  const added: CustomerFact[] = [];
  for (const fact of b.facts) {
    if (known.has(fact.eventId)) continue;
    known.add(fact.eventId);
    added.push(fact);
  }
  if (added.length === 0) return a;
  return { facts: [...a.facts, ...added].sort(compareFacts) };
}

export function hasEvent(history: CustomerHistory, eventId: string): boolean {
  return history.facts.some((fact) => fact.eventId === eventId);
}

/** The facts that had happened by `asOf` (epoch ms): the history a past question is answered from. */
export function historyAsOf(history: CustomerHistory, asOf: number): CustomerHistory {
  const end = history.facts.findIndex((fact) => Date.parse(fact.time) > asOf);
  return end < 0 ? history : { facts: history.facts.slice(0, end) };
}

/** Facts of one kind, in order. */
export function factsOfKind<K extends CustomerFact["kind"]>(
  history: CustomerHistory,
  kind: K,
): Extract<CustomerFact, { kind: K }>[] {
  return history.facts.filter((fact): fact is Extract<CustomerFact, { kind: K }> => fact.kind === kind);
}

function insertionIndex(facts: readonly CustomerFact[], fact: CustomerFact): number {
  let low = 0;
  let high = facts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareFacts(facts[middle] as CustomerFact, fact) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
