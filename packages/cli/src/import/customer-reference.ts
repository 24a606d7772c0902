import type { CustomerReference, Identifier } from "@rapport/events";
import { parseBirthDate } from "./birth-date.js";
import { identifierFields } from "./import-kind.js";
import { type Parsed, parsedValue } from "./parsed.js";
import type { CellReader } from "./source-record.js";

type Traits = NonNullable<CustomerReference["traits"]>;

/**
 * Every identifier the row knows the customer by, in a fixed order. Values are sent as written:
 * ingestion normalises them (E.164 phones, lower-case emails) and is the one judge of validity.
 */
export function identifiersOf(cell: CellReader): Identifier[] {
  return identifierFields.flatMap((field) => {
    const value = cell(field);
    return value === undefined ? [] : [{ type: field, value }];
  });
}

/** Name, birth date and address, leaving out what the row does not have. */
export function traitsOf(cell: CellReader): Parsed<Traits | undefined> {
  const birthDateText = cell("birth_date");
  const birthDate = birthDateText === undefined ? undefined : parseBirthDate(birthDateText);
  if (birthDate && !birthDate.ok) return birthDate;
  const address = withoutAbsent({
    line1: cell("address_line1"),
    line2: cell("address_line2"),
    city: cell("city"),
    region: cell("region"),
    postalCode: cell("postal_code"),
    countryCode: cell("country_code"),
  });
  const traits = withoutAbsent({
    firstName: cell("first_name"),
    lastName: cell("last_name"),
    birthDate: birthDate?.value,
    address,
  });
  return parsedValue(traits);
}

/** The object without its undefined properties, or undefined when nothing is left. */
export function withoutAbsent<T extends Record<string, unknown>>(value: T): Partial<T> | undefined {
  const present = Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined));
  return Object.keys(present).length === 0 ? undefined : (present as Partial<T>);
}
