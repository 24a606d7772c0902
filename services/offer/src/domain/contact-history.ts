import type { ContactFact } from "./contact-facts.js";

/**
 * A customer's contact history as the offer service keeps it: the contact facts (a set keyed by the
 * event each came from), and, once identity merged the customer into another, the survivor its facts
 * moved to. A merged customer's history is closed: facts that still arrive under its id belong to the
 * survivor.
 */
export type ContactHistory = {
  customerId: string;
  facts: readonly ContactFact[];
  mergedInto?: string;
};

/** What changes contact histories: facts learnt of a customer, and merges identity announced. */
export type ContactChange =
  | { kind: "facts"; customerId: string; facts: readonly ContactFact[] }
  | { kind: "merge"; survivor: string; merged: readonly string[] };

/** What a set of changes adds to one history: facts it did not hold, and the merge that closed it. */
export type HistoryAddition = { facts: ContactFact[]; mergedInto?: string };

export type ContactHistoryDecision = {
  /** Every history the changes touched, as they leave it. */
  histories: Map<string, ContactHistory>;
  /** Per customer, what to append to the stored history; customers the changes leave as they were are absent. */
  additions: Map<string, HistoryAddition>;
};

/** A merge chain longer than this is a corrupt history, not a customer's past. */
const maxMergeHops = 64;

export function emptyHistory(customerId: string): ContactHistory {
  return { customerId, facts: [] };
}

/**
 * The customer whose history holds an id's facts now: the id itself, or the survivor it was merged
 * into (through as many merges as there were). Histories not given are taken to be open.
 */
export function survivorOf(
  histories: ReadonlyMap<string, Pick<ContactHistory, "mergedInto">>,
  customerId: string,
): string {
  let current = customerId;
  for (let hop = 0; hop < maxMergeHops; hop++) {
    const next = histories.get(current)?.mergedInto;
    if (next === undefined || next === customerId) return current;
    current = next;
  }
  throw new Error(
    `the contact history of ${customerId} is merged through more than ${maxMergeHops} customers`,
  );
}

/**
 * Applies changes, in order, to the histories they name (and to the survivors those were merged
 * into, which must be given too; a customer not given has no history yet):
 *
 * - facts go to the survivor of the customer they name, each event once: a fact the history holds
 *   already (a redelivered event, a part handled again) adds nothing;
 * - a merge moves each merged customer's facts to the survivor's history and closes the merged one.
 *   A customer merged already is left as it is, so a merge handled again changes nothing, and the
 *   facts of a customer merged into one that was merged on are followed to the last survivor.
 *
 * Pure: the histories given are not changed.
 */
export function decideContactChanges(
  stored: ReadonlyMap<string, ContactHistory>,
  changes: readonly ContactChange[],
): ContactHistoryDecision {
  const histories = new Map(stored);
  const additions = new Map<string, HistoryAddition>();
  const heldEventIds = new Map<string, Set<string>>();

  const historyOf = (customerId: string) => histories.get(customerId) ?? emptyHistory(customerId);
  const additionOf = (customerId: string) => {
    let addition = additions.get(customerId);
    if (addition === undefined) {
      addition = { facts: [] };
      additions.set(customerId, addition);
    }
    return addition;
  };
  const addFacts = (customerId: string, facts: readonly ContactFact[]) => {
    const history = historyOf(customerId);
    let held = heldEventIds.get(customerId);
    if (held === undefined) {
      held = new Set(history.facts.map((fact) => fact.eventId));
      heldEventIds.set(customerId, held);
    }
    const added: ContactFact[] = [];
    for (const fact of facts) {
      if (held.has(fact.eventId)) continue;
      held.add(fact.eventId);
      added.push(fact);
    }
    if (added.length === 0) return;
    histories.set(customerId, { ...history, facts: [...history.facts, ...added] });
    additionOf(customerId).facts.push(...added);
  };

  for (const change of changes) {
    switch (change.kind) {
      case "facts":
        addFacts(survivorOf(histories, change.customerId), change.facts);
        break;
      case "merge":
        for (const mergedId of change.merged) {
          if (mergedId === change.survivor) continue;
          const merged = historyOf(mergedId);
          const target = survivorOf(histories, change.survivor);
          // Merged already (handled again), or a merge back into itself: nothing moves.
          if (merged.mergedInto !== undefined || target === mergedId) continue;
          addFacts(target, merged.facts);
          histories.set(mergedId, { ...historyOf(mergedId), mergedInto: change.survivor });
          additionOf(mergedId).mergedInto = change.survivor;
        }
        break;
      default:
        change satisfies never;
    }
  }
  for (const [customerId, addition] of additions)
    if (addition.facts.length === 0 && addition.mergedInto === undefined) additions.delete(customerId);
  return { histories, additions };
}
