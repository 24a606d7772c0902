import {
  type CustomerReference,
  type Identifier,
  type IdentifierRules,
  normaliseIdentifier,
} from "@rapport/events";
import { parseBirthDate } from "./birth-date.js";
import { maxLengthOf, parseCountryCode, parseWithin } from "./field-limits.js";
import { type IdentifierField, type ImportField, identifierFields } from "./import-kind.js";
import { type Parsed, parsedValue, parseProblem } from "./parsed.js";
import type { RowProblems } from "./row-problems.js";
import type { CellReader } from "./source-record.js";

type Traits = NonNullable<CustomerReference["traits"]>;

/**
 * Every identifier the row knows the customer by, in a fixed order, normalised by the rules
 * ingestion applies (E.164 phones, lower-case emails). One that fails them is dropped with a
 * warning rather than refusing the row; sending it would get the whole event rejected. The row is
 * refused only when no identifier is left. The normalised form is sent, so ingestion reads a
 * national phone number in the region the importer judged it in.
 */
export function identifiersOf(cell: CellReader, rules: IdentifierRules, problems: RowProblems): Identifier[] {
  const written = identifierFields.flatMap((field) => {
    const value = cell(field);
    return value === undefined ? [] : [{ type: field, value }];
  });
  const identifiers = written.flatMap(({ type, value }) => {
    const identifier = problems.optional(
      type,
      value,
      "invalid_identifier",
      parseIdentifier(type, value, rules),
    );
    return identifier === undefined ? [] : [identifier];
  });
  if (written.length === 0) {
    problems.add(
      "missing_identifier",
      `the row names no customer: ${identifierFields.slice(0, -1).join(", ")} and ${identifierFields.at(-1)} are all empty`,
    );
  } else if (identifiers.length === 0) {
    problems.add("missing_identifier", "the row names no customer by a valid identifier");
  }
  return identifiers;
}

function parseIdentifier(type: IdentifierField, value: string, rules: IdentifierRules): Parsed<Identifier> {
  const normalised = normaliseIdentifier({ type, value }, rules);
  if (!normalised.ok) return parseProblem(normalised.detail);
  const fits = parseWithin(normalised.identifier.value, maxLengthOf[type]);
  return fits.ok ? parsedValue(normalised.identifier) : fits;
}

/** An optional text field, dropped with a warning when it is longer than `maxLength` characters. */
export function limitedText(
  cell: CellReader,
  problems: RowProblems,
  field: ImportField,
  maxLength: number,
): string | undefined {
  const value = cell(field);
  return value === undefined
    ? undefined
    : problems.optional(field, value, "too_long", parseWithin(value, maxLength));
}

/**
 * Name, birth date and address, leaving out what the row does not have, and dropping with a
 * warning what the contract does not allow (a date that is not one, an over-long text).
 */
export function traitsOf(cell: CellReader, problems: RowProblems): Traits | undefined {
  const text = (field: keyof typeof maxLengthOf) => limitedText(cell, problems, field, maxLengthOf[field]);
  const birthDateText = cell("birth_date");
  const countryCodeText = cell("country_code");
  const address = withoutAbsent({
    line1: text("address_line1"),
    line2: text("address_line2"),
    city: text("city"),
    region: text("region"),
    postalCode: text("postal_code"),
    countryCode:
      countryCodeText === undefined
        ? undefined
        : problems.optional(
            "country_code",
            countryCodeText,
            "invalid_country_code",
            parseCountryCode(countryCodeText),
          ),
  });
  return withoutAbsent({
    firstName: text("first_name"),
    lastName: text("last_name"),
    birthDate:
      birthDateText === undefined
        ? undefined
        : problems.optional("birth_date", birthDateText, "invalid_date", parseBirthDate(birthDateText)),
    address,
  });
}

/** The object without its undefined properties, or undefined when nothing is left. */
export function withoutAbsent<T extends Record<string, unknown>>(value: T): Partial<T> | undefined {
  const present = Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined));
  return Object.keys(present).length === 0 ? undefined : (present as Partial<T>);
}
