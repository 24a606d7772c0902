import { createHash } from "node:crypto";

/**
 * A document shaped like one of identity's `identifiers` (IdentifierDocument in
 * services/identity/src/adapters/customer-documents.ts): the identifier as `_id`, the customer that
 * owns it, and the event that linked them.
 */
export type IdentifierDocument = {
  _id: string;
  customerId: string;
  linkedBy: { eventId: string; time: string };
};

/** Identity links several identifiers to one customer, so a lookup by customerId matches more than one. */
export const identifiersPerCustomer = 2;

const firstLinkMs = Date.parse("2026-01-05T09:00:00.000Z");

export function customerIdOf(customerNumber: number): string {
  // As identity derives them (customerIdFoundedBy): "cus_" and 24 hex digits of a hash.
  const hash = createHash("sha256").update(`bench-customer-${customerNumber}`).digest("hex");
  return `cus_${hash.slice(0, 24)}`;
}

/**
 * Document `index` of a collection: the same index always gives the same document, and different
 * indexes never share an `_id`. Consecutive indexes share a customer, `identifiersPerCustomer` each.
 */
export function identifierDocument(index: number): IdentifierDocument {
  return {
    _id: `email:person${index}@example.com`,
    customerId: customerIdOf(Math.floor(index / identifiersPerCustomer)),
    linkedBy: {
      eventId: `evt-${index.toString(36).padStart(8, "0")}`,
      time: new Date(firstLinkMs + index * 1_000).toISOString(),
    },
  };
}
