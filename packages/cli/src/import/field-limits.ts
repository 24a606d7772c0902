import { eventCatalog } from "@rapport/proto";
import type { CustomerField } from "./import-kind.js";
import { type Parsed, parsedValue, parseProblem } from "./parsed.js";

// The schema ingestion validates CustomerRegistered with, generated from proto/crm/v1: a value it
// refuses would get the whole event rejected, so the importer drops that value instead.
const schema = eventCatalog.eventTypes["crm.v1.CustomerRegistered"].dataSchema.$defs;
const identifierValue = schema["crm.v1.Identifier"].properties.value;
const traits = schema["crm.v1.PersonTraits"].properties;
const address = schema["crm.v1.PostalAddress"].properties;

/** The most characters the contract allows in each text field of a row. */
export const maxLengthOf = {
  customer_number: identifierValue.maxLength,
  email: identifierValue.maxLength,
  phone: identifierValue.maxLength,
  loyalty_card: identifierValue.maxLength,
  first_name: traits.firstName.maxLength,
  last_name: traits.lastName.maxLength,
  address_line1: address.line1.maxLength,
  address_line2: address.line2.maxLength,
  city: address.city.maxLength,
  region: address.region.maxLength,
  postal_code: address.postalCode.maxLength,
  registration_channel: schema["crm.v1.CustomerRegistered"].properties.registrationChannel.maxLength,
} as const satisfies Partial<Record<CustomerField, number>>;

const countryCodePattern = new RegExp(address.countryCode.pattern);

/** The text when it fits; lengths count characters (code points), as the schema's maxLength does. */
export function parseWithin(text: string, maxLength: number): Parsed<string> {
  const length = [...text].length;
  return length <= maxLength
    ? parsedValue(text)
    : parseProblem(`${length} characters long; at most ${maxLength} are allowed`);
}

export function parseCountryCode(text: string): Parsed<string> {
  return countryCodePattern.test(text)
    ? parsedValue(text)
    : parseProblem(`"${text}" is not a two-letter ISO 3166-1 country code, e.g. KR or DE`);
}
