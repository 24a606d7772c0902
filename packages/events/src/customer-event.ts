import type { EventType } from "./event-types.js";

export const identifierTypes = [
  "customer_number",
  "email",
  "phone",
  "loyalty_card",
  "device_id",
  "cookie_id",
] as const;
export type IdentifierType = (typeof identifierTypes)[number];

export type Identifier = { type: IdentifierType; value: string };

/**
 * Identifier types from the most stable (a customer number names one account for ever) to the least
 * (a cookie is cleared with the browser): how crm.events is keyed, and identity's default priority.
 */
export const identifierTypesStrongestFirst: readonly IdentifierType[] = [
  "customer_number",
  "loyalty_card",
  "email",
  "phone",
  "device_id",
  "cookie_id",
];

/** A postal address as upstream systems send it; every line may be missing. */
export type PostalAddress = {
  line1?: string;
  line2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  countryCode?: string;
};

/** The payload every event carries, whatever its type: who it is about. */
export type CustomerReference = {
  identifiers: Identifier[];
  traits?: {
    firstName?: string;
    lastName?: string;
    birthDate?: string;
    address?: PostalAddress;
  };
};

/**
 * An event as it stands in crm.events: a CloudEvents 1.0 envelope in structured JSON mode with
 * normalised data (see docs/schemas for each type's data). `time` is UTC with milliseconds.
 */
export type CustomerEvent = {
  specversion: "1.0";
  id: string;
  source: string;
  type: EventType;
  time: string;
  subject?: string;
  datacontenttype: "application/json";
  data: { customer: CustomerReference } & Record<string, unknown>;
};
