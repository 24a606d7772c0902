import type { Identifier, IdentifierType } from "@rapport/events";
import type { CustomerId, EventId, EventTime } from "./identity-types.js";

/**
 * The facts the identity service emits on crm.identity and folds into its graph. Each one is
 * applied on its own and idempotently: applying it twice leaves the graph as applying it once, so
 * an adapter can turn each into document writes and a redelivery or a crash between writes is
 * harmless. `eventId` and `time` are those of the fact that caused it (the crm.events event, or
 * the split request), never a clock reading.
 */
export type IdentityEvent =
  | IdentifierLinked
  | CustomersMerged
  | MergeRefused
  | LinkRefused
  | CustomerSplit
  | MatchProposed
  | MatchDecided
  | DecisionRefused;

export type IdentityEventType = IdentityEvent["type"];

/**
 * An identifier now belongs to a customer. The first link naming an unknown customer id founds
 * that customer, first seen at this event. A link never takes an identifier from another customer:
 * an identifier has one owner, and only a merge or a split moves it.
 */
export type IdentifierLinked = {
  type: "IdentifierLinked";
  customerId: CustomerId;
  identifier: Identifier;
  eventId: EventId;
  time: EventTime;
};

/** Why customers were merged. The matching rules are named here so the union stays one place. */
export type MergeRule =
  /** An event carried identifiers of several customers. */
  | "shared_identifier"
  /** As shared_identifier, where all but one customer were anonymous (cookies, devices): a login. */
  | "anonymous_stitch"
  /** Probabilistic matching scored the pair above the auto-merge threshold. */
  | "probabilistic_match"
  /** A person accepted a proposed match. */
  | "match_accepted";

/** How one compared field contributed to a probabilistic match (a Fellegi-Sunter weight). */
export type MatchFieldEvidence = { field: string; level: string; weight: number };

export type MergeEvidence =
  | { kind: "shared_identifiers"; identifiers: Identifier[] }
  | { kind: "match"; score: number; fields: MatchFieldEvidence[] };

/**
 * `merged` customers become aliases of `survivor` for ever, and their identifiers move to it.
 * The survivor is the merged group's earliest first-seen customer (see survivor.ts).
 */
export type CustomersMerged = {
  type: "CustomersMerged";
  survivor: CustomerId;
  merged: CustomerId[];
  rule: MergeRule;
  evidence: MergeEvidence;
  eventId: EventId;
  time: EventTime;
};

/**
 * customer_number_conflict: both hold a customer number, and they differ. identifier_limit: the
 * merged customer would hold more identifiers of a type than its limit. split_apart: a person split
 * these customers; a later event bridging them (the shared laptop again) must not undo that.
 */
export type MergeRefusalRule = "customer_number_conflict" | "identifier_limit" | "split_apart";

/**
 * An event bridged customers that the rules keep apart: `customers[0]` is the customer the event
 * was attributed to, `customers[1]` the one that stays apart, `identifier` the event's identifier
 * of that customer. `identifierType` names the limit that would have been broken.
 */
export type MergeRefused = {
  type: "MergeRefused";
  customers: [CustomerId, CustomerId];
  /** Absent when the bridge was a probabilistic match, not a shared identifier. */
  identifier?: Identifier;
  rule: MergeRefusalRule;
  identifierType?: IdentifierType;
  eventId: EventId;
  time: EventTime;
};

/**
 * A new identifier was not linked to the event's customer because the customer already holds the
 * limit of its type. A MergeRefused would misname this: no second customer is involved, only an
 * identifier that stays unowned (a later event carrying it alone founds a customer of its own).
 */
export type LinkRefused = {
  type: "LinkRefused";
  customerId: CustomerId;
  identifier: Identifier;
  rule: "identifier_limit";
  limit: number;
  eventId: EventId;
  time: EventTime;
};

/**
 * A person separated identifiers that were wrongly joined: they move from `customerId` to the new
 * customer `newCustomerId`, first seen at this split, and events carrying them resolve there from
 * now on, and the two are kept apart: no later event sharing their identifiers merges them back
 * (MergeRefused split_apart). `eventId` is the split's own id, derived from the request (split.ts).
 */
export type CustomerSplit = {
  type: "CustomerSplit";
  customerId: CustomerId;
  newCustomerId: CustomerId;
  identifiers: Identifier[];
  reason: string;
  eventId: EventId;
  time: EventTime;
};

/** Probabilistic matching found two customers that may be one person; a person decides. */
export type MatchProposed = {
  type: "MatchProposed";
  proposalId: string;
  customers: [CustomerId, CustomerId];
  score: number;
  evidence: MatchFieldEvidence[];
  eventId: EventId;
  time: EventTime;
};

/** A person's decision on a proposal; an accepted one is followed by a CustomersMerged. */
export type MatchDecided = {
  type: "MatchDecided";
  proposalId: string;
  decision: "accepted" | "rejected";
  decidedBy: string;
  note: string;
  eventId: EventId;
  time: EventTime;
};

/**
 * Why the graph writer refused a person's decision when it met it on the decision log: the graph
 * changed between the check that answered the request and the writer (another decision, an event),
 * so the decision no longer applies. The split's reasons (split.ts), a merge the rules forbid now,
 * and: `customer_merged` the split customer was merged into another meanwhile; `unknown_proposal`,
 * `decided_already` a proposal decided otherwise meanwhile.
 */
export type DecisionRefusalReason =
  | "unknown_customer"
  | "identifier_not_owned"
  | "nothing_to_move"
  | "nothing_would_remain"
  | "customer_merged"
  | "unknown_proposal"
  | "decided_already"
  | MergeRefusalRule;

/**
 * A person's decision (a CustomerSplit or a MatchDecided, `decisionId` its event id) that was logged
 * but did not apply when the writer met it: nothing changed. `eventId` derives from the decision's id
 * and time (one refusal per request), `time` is the decision's.
 */
export type DecisionRefused = {
  type: "DecisionRefused";
  decisionId: EventId;
  reason: DecisionRefusalReason;
  detail: string;
  eventId: EventId;
  time: EventTime;
};

/** The customers an identity event is about: what a reader must load to apply it. */
export function customersNamedBy(event: IdentityEvent): CustomerId[] {
  switch (event.type) {
    case "IdentifierLinked":
    case "LinkRefused":
      return [event.customerId];
    case "CustomersMerged":
      return [event.survivor, ...event.merged];
    case "CustomerSplit":
      return [event.customerId, event.newCustomerId];
    case "MergeRefused":
    case "MatchProposed":
      return [...event.customers];
    case "MatchDecided":
    case "DecisionRefused":
      return [];
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** The identifiers an identity event moves or links: whose owners a reader must load to apply it. */
export function identifiersNamedBy(event: IdentityEvent): Identifier[] {
  switch (event.type) {
    case "IdentifierLinked":
      return [event.identifier];
    case "CustomerSplit":
      return event.identifiers;
    default:
      return [];
  }
}

/**
 * Whether probabilistic matching decided this event (after an event's own identifiers were settled),
 * rather than the rules resolving the event's identifiers: a MergeRefused of matching names no
 * identifier.
 */
export function isProbabilisticMatchEvent(event: IdentityEvent): boolean {
  switch (event.type) {
    case "MatchProposed":
      return true;
    case "CustomersMerged":
      return event.rule === "probabilistic_match";
    case "MergeRefused":
      return event.identifier === undefined;
    default:
      return false;
  }
}

/**
 * Whether the event records a person's decision taken over gRPC (a split, a decision on a proposal,
 * or one the writer refused), rather than the resolution of a crm.events event: it has no resolved event.
 */
export function isPersonDecisionEvent(event: IdentityEvent): boolean {
  return event.type === "CustomerSplit" || event.type === "MatchDecided" || event.type === "DecisionRefused";
}
