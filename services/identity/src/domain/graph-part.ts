import { applyIdentityEvent, type GraphDraft } from "./evolve-identity-graph.js";
import {
  combineGoldenRecords,
  emptyGoldenRecord,
  evolveGoldenRecord,
  type GoldenRecord,
  type SurvivorshipRules,
  type TraitObservation,
} from "./golden-record.js";
import { customersNamedBy, type IdentityEvent } from "./identity-events.js";
import { resolveRoot } from "./identity-graph.js";
import type { CustomerId } from "./identity-types.js";

/**
 * The part of the identity graph one unit of work reads (a part of crm.events, a split, a person's
 * match decision), as a working copy: the customers' nodes and golden records, and the owners of the
 * identifiers looked up. Decisions are made on it one after the other, each applied to it before the
 * next is made, so a part is decided as if its events came one at a time. The caller compares it with
 * what it was copied from to know what to write: a changed customer is a new node or record object.
 */
export type GraphPart = { graph: GraphDraft; goldenRecords: Map<CustomerId, GoldenRecord> };

/** What a decision did: the customer it is about and the identity events that make the graph agree. */
export type AppliedDecision = { customerId: CustomerId; identityEvents: readonly IdentityEvent[] };

/**
 * Applies a decision to the part in place: its identity events to the graph, then the golden
 * records: every customer the events merged hands its record to its survivor (combining is
 * idempotent, so a merge applied again changes nothing), and the traits the event states about its
 * customer (`observation`) go to the customer it now stands for.
 */
export function applyDecision(
  part: GraphPart,
  decision: AppliedDecision,
  observation: TraitObservation | undefined,
  survivorship: SurvivorshipRules,
): void {
  const named = decision.identityEvents.flatMap(customersNamedBy);
  const rootsBefore = named.map((id) => resolveRoot(part.graph, id));
  for (const event of decision.identityEvents) applyIdentityEvent(part.graph, event);
  for (const id of new Set([...named, ...rootsBefore])) {
    if (id === undefined) continue;
    const root = resolveRoot(part.graph, id);
    if (root === undefined || root === id) continue;
    const merged = part.goldenRecords.get(id);
    if (merged === undefined) continue;
    setGoldenRecord(part, root, combineGoldenRecords(goldenRecordIn(part, root), merged, survivorship));
  }
  if (observation === undefined) return;
  const target = resolveRoot(part.graph, decision.customerId) ?? decision.customerId;
  setGoldenRecord(part, target, evolveGoldenRecord(goldenRecordIn(part, target), observation, survivorship));
}

export function goldenRecordIn(part: GraphPart, customerId: CustomerId): GoldenRecord {
  return part.goldenRecords.get(customerId) ?? emptyGoldenRecord();
}

/** Combining and evolving give back the same record when nothing changes: an unchanged customer is not written. */
function setGoldenRecord(part: GraphPart, customerId: CustomerId, record: GoldenRecord): void {
  if (part.goldenRecords.get(customerId) !== record) part.goldenRecords.set(customerId, record);
}
