import { type CustomerEvent, identifierTypesStrongestFirst } from "@rapport/events";

/** The crm.events record key: the event's most stable identifier, so events naming it stay in order. */
export function partitionKeyOf(event: CustomerEvent): string {
  const identifiers = event.data.customer.identifiers;
  for (const type of identifierTypesStrongestFirst) {
    const identifier = identifiers.find((candidate) => candidate.type === type);
    if (identifier) return `${type}:${identifier.value}`;
  }
  return event.id;
}
