import type { Identifier } from "@rapport/events";
import type { CustomerSplit } from "./identity-events.js";
import { type IdentityGraph, identifiersOf, ownerOf, rootCustomer } from "./identity-graph.js";
import {
  type CustomerId,
  compareText,
  customerIdFoundedBy,
  type EventTime,
  identifierKey,
  sha256Hex,
} from "./identity-types.js";

/** A person's request to separate identifiers that were wrongly joined into one customer. */
export type SplitRequest = {
  customerId: CustomerId;
  identifiers: readonly Identifier[];
  time: EventTime;
  reason: string;
};

export type SplitRefusalReason =
  | "unknown_customer"
  | "identifier_not_owned"
  | "nothing_to_move"
  | "nothing_would_remain";

export type SplitRefused = { ok: false; reason: SplitRefusalReason; message: string };

/**
 * Decides a split: the named identifiers move to a new customer. A merged id is split through its
 * survivor (it has no identifiers of its own). The split's id and the new customer's id derive from
 * the request, so a retried request decides the same split and applying it again changes nothing.
 */
export function decideSplit(
  request: SplitRequest,
  graph: IdentityGraph,
): { ok: true; event: CustomerSplit } | SplitRefused {
  const customer = rootCustomer(graph, request.customerId);
  if (customer === undefined) {
    return refused("unknown_customer", `no customer ${request.customerId}`);
  }
  const moving = distinct(request.identifiers);
  if (moving.length === 0) return refused("nothing_to_move", "name at least one identifier to move out");
  const foreign = moving.find((identifier) => ownerOf(graph, identifier) !== customer.id);
  if (foreign !== undefined) {
    return refused(
      "identifier_not_owned",
      `${identifierKey(foreign)} does not belong to customer ${request.customerId}`,
    );
  }
  // A customer left with no identifier could never be resolved to again: its history would be
  // stranded under an id no event reaches. Moving everything is a rename, not a split.
  if (moving.length === identifiersOf(customer).length) {
    return refused("nothing_would_remain", `customer ${request.customerId} would keep no identifier`);
  }
  const keys = moving.map(identifierKey).sort(compareText);
  const eventId = `split:${sha256Hex(JSON.stringify([customer.id, keys, request.time, request.reason])).slice(0, 24)}`;
  return {
    ok: true,
    event: {
      type: "CustomerSplit",
      customerId: customer.id,
      newCustomerId: customerIdFoundedBy(eventId),
      identifiers: moving,
      reason: request.reason,
      eventId,
      time: request.time,
    },
  };
}

function refused(reason: SplitRefusalReason, message: string): SplitRefused {
  return { ok: false, reason, message };
}

function distinct(identifiers: readonly Identifier[]): Identifier[] {
  const seen = new Set<string>();
  return identifiers.filter((identifier) => {
    const key = identifierKey(identifier);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
