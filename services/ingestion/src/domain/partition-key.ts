import type { CustomerEvent, IdentifierType } from "@rapport/events";

// The most stable identifier first: events that name the same one land on the same partition in order.
const keyPriority: readonly IdentifierType[] = [
  "customer_number",
  "loyalty_card",
  "email",
  "phone",
  "device_id",
  "cookie_id",
];

/** The crm.events record key: the event's most stable identifier. */
export function partitionKeyOf(event: CustomerEvent): string {
  const identifiers = event.data.customer.identifiers;
  for (const type of keyPriority) {
    const identifier = identifiers.find((candidate) => candidate.type === type);
    if (identifier) return `${type}:${identifier.value}`;
  }
  return event.id;
}
