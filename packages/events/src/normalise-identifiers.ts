import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";
import type { Identifier, IdentifierType } from "./customer-event.js";
import { type Rejected, rejected } from "./rejection.js";

export type IdentifierRules = {
  /** Region assumed for phone numbers written without a country code, e.g. KR or US. */
  defaultPhoneRegion: CountryCode;
};

const plausibleEmail = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** One identifier in the form identity matches on, or why it cannot be matched at all. */
export function normaliseIdentifier(
  identifier: Identifier,
  rules: IdentifierRules,
): { ok: true; identifier: Identifier } | Rejected {
  const value = identifier.value.trim();
  const normalised = normaliseValue(identifier.type, value, rules);
  if (normalised === undefined) {
    return rejected(
      "invalid_identifier",
      `${identifier.type} ${JSON.stringify(value)} ${problemWith(identifier.type)}`,
    );
  }
  return { ok: true, identifier: { type: identifier.type, value: normalised } };
}

function normaliseValue(type: IdentifierType, value: string, rules: IdentifierRules): string | undefined {
  switch (type) {
    case "email": {
      const email = value.toLowerCase();
      return plausibleEmail.test(email) ? email : undefined;
    }
    case "phone": {
      const phone = parsePhoneNumberFromString(value, rules.defaultPhoneRegion);
      return phone?.isValid() ? phone.number : undefined;
    }
    case "loyalty_card": {
      // Cards are printed and typed with spaces and dashes; the number is what identifies.
      const card = value.replace(/[\s-]/g, "").toUpperCase();
      return card === "" ? undefined : card;
    }
    case "customer_number":
    case "device_id":
    case "cookie_id":
      return value === "" ? undefined : value;
    default: {
      const unhandled: never = type;
      return unhandled;
    }
  }
}

function problemWith(type: IdentifierType): string {
  switch (type) {
    case "email":
      return "is not an email address";
    case "phone":
      return "is not a valid phone number (give it in E.164, e.g. +821012345678, or in the default region's format)";
    default:
      return "is empty";
  }
}

/** Normalises every identifier and drops exact repeats, keeping the first occurrence's position. */
export function normaliseIdentifiers(
  identifiers: readonly Identifier[],
  rules: IdentifierRules,
): { ok: true; identifiers: Identifier[] } | Rejected {
  const seen = new Set<string>();
  const result: Identifier[] = [];
  for (const identifier of identifiers) {
    const normalised = normaliseIdentifier(identifier, rules);
    if (!normalised.ok) return normalised;
    const key = `${normalised.identifier.type}\u0000${normalised.identifier.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(normalised.identifier);
  }
  return { ok: true, identifiers: result };
}
