import { syntheticCustomer } from "../shared/customers.js";
import { customerIdOf } from "./identifier-documents.js";

/** Where a trait value came from, as identity's golden record keeps it. */
type Lineage = { source: string; eventId: string; time: string };
type Trait = { value: string; lineage: Lineage };

/**
 * An active customer as identity stores it with nested fields (CustomerDocument in
 * services/identity/src/adapters/customer-documents.ts): who it was first seen as, its identifiers by
 * type, and a golden record whose every trait carries its lineage.
 */
export type CustomerDocument = {
  _id: string;
  firstSeen: { time: string; eventId: string };
  identifiers: { customer_number: string[]; email: string[]; phone: string[] };
  status: "active";
  goldenRecord: {
    preferences: { key: string; value: string; lineage: Lineage }[];
    firstName: Trait;
    lastName: Trait;
    email: Trait;
    phone: Trait;
  };
};

const populationSeed = 20_261_207;
const firstSeenMs = Date.parse("2026-01-05T09:00:00.000Z");

/** "010-2345-6789" → "+821023456789", as ingestion normalises a Korean mobile number. */
function e164(nationalNumber: string): string {
  return `+82${nationalNumber.replace(/-/g, "").slice(1)}`;
}

function lineage(source: string, index: number, step: number): Lineage {
  return {
    source,
    eventId: `evt-${index.toString(36).padStart(6, "0")}-${step}`,
    time: new Date(firstSeenMs + index * 60_000 + step * 1_000).toISOString(),
  };
}

/**
 * Customer `index` (the same on every call, a different `_id` for every index): first seen ordering in
 * the shop, then calling the call center, as identity would have resolved them. About 700 bytes as JSON.
 */
export function customerDocument(index: number): CustomerDocument {
  const person = syntheticCustomer(populationSeed, index);
  const registered = lineage("shop", index, 0);
  const called = lineage("callcenter", index, 1);
  const email = person.email.toLowerCase();
  const phone = e164(person.phone);
  return {
    _id: customerIdOf(index),
    firstSeen: { time: registered.time, eventId: registered.eventId },
    identifiers: { customer_number: [person.customerNumber], email: [email], phone: [phone] },
    status: "active",
    goldenRecord: {
      preferences: [],
      firstName: { value: person.firstName, lineage: registered },
      lastName: { value: person.lastName, lineage: registered },
      email: { value: email, lineage: registered },
      phone: { value: phone, lineage: called },
    },
  };
}

/**
 * The customer after its `revision`th call to the call center: the phone trait's lineage names that
 * call, as a replace after a new event would write it. Revision 0 is the customer as filled.
 */
export function revisedCustomer(index: number, revision: number): CustomerDocument {
  const customer = customerDocument(index);
  if (revision === 0) return customer;
  const { phone } = customer.goldenRecord;
  return {
    ...customer,
    goldenRecord: {
      ...customer.goldenRecord,
      phone: { ...phone, lineage: lineage("callcenter", index, revision + 1) },
    },
  };
}
