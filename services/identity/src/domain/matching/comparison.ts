import {
  daysBetween,
  isOneEditApart,
  nameSimilarity,
  normaliseEmail,
  normaliseName,
  normalisePostalCode,
  normaliseStreet,
  phoneDigits,
} from "./comparators.js";
import {
  type ComparisonField,
  type ComparisonLevel,
  comparisonFields,
  comparisonLevels,
  missingLevel,
  type NeutralLevel,
} from "./comparison-levels.js";
import type { PersonRecord } from "./person-record.js";

/** How one field of two records compares, with both values so a reviewer can see them. */
export type FieldComparison = {
  field: ComparisonField;
  level: ComparisonLevel | NeutralLevel;
  /** Index of the level in comparisonLevels[field]; undefined for a neutral level (weight 0). */
  levelIndex: number | undefined;
  left: string | undefined;
  right: string | undefined;
};

export type RecordComparison = {
  leftId: string;
  rightId: string;
  /** One entry per field, in comparisonFields order. */
  fields: FieldComparison[];
};

/** Compares two records field by field; symmetric: compare(a, b) has the levels of compare(b, a). */
export function compareRecords(left: PersonRecord, right: PersonRecord): RecordComparison {
  return {
    leftId: left.recordId,
    rightId: right.recordId,
    fields: comparisonFields.map((field) => compareField(field, left, right)),
  };
}

export function compareField(
  field: ComparisonField,
  left: PersonRecord,
  right: PersonRecord,
): FieldComparison {
  const [leftValue, rightValue] = fieldValues(field, left, right);
  const level = fieldLevel(field, left, right);
  const index = (comparisonLevels[field] as readonly string[]).indexOf(level);
  const levelIndex = index < 0 ? undefined : index;
  return { field, level, levelIndex, left: leftValue, right: rightValue };
}

function fieldValues(
  field: ComparisonField,
  a: PersonRecord,
  b: PersonRecord,
): [string | undefined, string | undefined] {
  switch (field) {
    case "address":
      return [addressText(a), addressText(b)];
    default:
      return [a[field], b[field]];
  }
}

function addressText(record: PersonRecord): string | undefined {
  const parts = [record.addressLine, record.city, record.postalCode].filter((part) => part !== undefined);
  return parts.length === 0 ? undefined : parts.join(", ");
}

function fieldLevel(
  field: ComparisonField,
  a: PersonRecord,
  b: PersonRecord,
): ComparisonLevel | NeutralLevel {
  switch (field) {
    case "firstName":
      return namesSwapped(a, b) ? "swapped" : nameLevel(a.firstName, b.firstName);
    case "lastName":
      return namesSwapped(a, b) ? "swapped_counted_in_first_name" : nameLevel(a.lastName, b.lastName);
    case "birthDate":
      return birthDateLevel(a.birthDate, b.birthDate);
    case "address":
      return addressLevel(a, b);
    case "email":
      return emailLevel(a, b);
    case "phone":
      return phoneLevel(a, b);
    default: {
      const unhandled: never = field;
      throw new Error(`no comparison for field ${String(unhandled)}`);
    }
  }
}

const swappedSimilarity = 0.92;

/**
 * "Kim Minjun" and "Minjun Kim": forms that put the family name first are filled in both ways, so
 * the two names cross-match better than they match in place. firstName then says "swapped" and
 * carries the evidence of both names; lastName is neutral (see neutralLevels).
 */
export function namesSwapped(a: PersonRecord, b: PersonRecord): boolean {
  if (!a.firstName || !a.lastName || !b.firstName || !b.lastName) return false;
  const [firstA, lastA, firstB, lastB] = [a.firstName, a.lastName, b.firstName, b.lastName].map(
    normaliseName,
  ) as [string, string, string, string];
  if (firstA === lastA || firstB === lastB) return false;
  const crossed = Math.min(nameSimilarity(firstA, lastB), nameSimilarity(lastA, firstB));
  const inPlace = Math.min(nameSimilarity(firstA, firstB), nameSimilarity(lastA, lastB));
  return crossed >= swappedSimilarity && crossed > inPlace;
}

function nameLevel(a: string | undefined, b: string | undefined): ComparisonLevel<"lastName"> | "missing" {
  if (!a || !b) return missingLevel;
  const left = normaliseName(a);
  const right = normaliseName(b);
  if (left === "" || right === "") return missingLevel;
  if (left === right) return "exact";
  const similarity = nameSimilarity(left, right);
  if (similarity >= 0.92) return "jaro_winkler_0.92";
  if (similarity >= 0.88) return "jaro_winkler_0.88";
  if (similarity >= 0.7) return "jaro_winkler_0.70";
  return "different";
}

function birthDateLevel(
  a: string | undefined,
  b: string | undefined,
): ComparisonLevel<"birthDate"> | "missing" {
  if (!a || !b) return missingLevel;
  if (a === b) return "exact";
  // A typo is checked before closeness: "1985-03-12" vs "1985-03-21" is one slip, not nine days.
  if (isOneEditApart(a, b)) return "one_edit";
  const days = daysBetween(a, b);
  if (days !== undefined && days <= 31) return "within_month";
  if (days !== undefined && days <= 366) return "within_year";
  return "different";
}

const similarStreet = 0.88;

function addressLevel(a: PersonRecord, b: PersonRecord): ComparisonLevel<"address"> | "missing" {
  // The postal code carries the address comparison: a street line without one is too ambiguous.
  if (!a.postalCode || !b.postalCode) return missingLevel;
  if (normalisePostalCode(a.postalCode) !== normalisePostalCode(b.postalCode)) return "different";
  if (!a.addressLine || !b.addressLine) return "postal_code_only";
  const streetA = normaliseStreet(a.addressLine);
  const streetB = normaliseStreet(b.addressLine);
  if (streetA === streetB) return "exact";
  return nameSimilarity(streetA, streetB) >= similarStreet
    ? "postal_code_similar_street"
    : "postal_code_only";
}

function emailLevel(a: PersonRecord, b: PersonRecord): ComparisonLevel<"email"> | NeutralLevel {
  if (!a.email || !b.email) return missingLevel;
  const left = normaliseEmail(a.email);
  const right = normaliseEmail(b.email);
  if (left.local === right.local && left.domain === right.domain) return "exact";
  const isPartial =
    left.local === right.local ||
    (left.domain === right.domain && nameSimilarity(left.local, right.local) >= 0.88);
  if (!isPartial) return "different";
  if (isNameBasedHandle(left.local, a) && isNameBasedHandle(right.local, b))
    return "same_name_based_local_part";
  return left.local === right.local ? "same_local_part" : "same_domain_similar_local_part";
}

/**
 * A handle made of the person's own names (and digits): "minjun.kim85", "mjkim", "kimminjun".
 * Two such handles agree whenever the names do, so their agreement adds nothing to the names'.
 */
export function isNameBasedHandle(local: string, record: PersonRecord): boolean {
  const letters = local.replace(/[^\p{L}]/gu, "");
  const first = record.firstName ? normaliseName(record.firstName) : "";
  const last = record.lastName ? normaliseName(record.lastName) : "";
  if (letters === "" || (first === "" && last === "")) return false;
  const initial = first.slice(0, 1);
  const forms = [first + last, last + first, initial + last, last + initial, first, last].filter(
    (form) => form !== "",
  );
  return forms.some((form) => nameSimilarity(letters, form) >= 0.92);
}

function phoneLevel(a: PersonRecord, b: PersonRecord): ComparisonLevel<"phone"> | "missing" {
  if (!a.phone || !b.phone) return missingLevel;
  const left = phoneDigits(a.phone);
  const right = phoneDigits(b.phone);
  if (left === "" || right === "") return missingLevel;
  const level = phoneAgreement(left, right);
  // See levelGroupsOf: at one postal code a shared phone is often a family's, not one person's.
  return sharePostalCode(a, b) ? `${level}_at_shared_address` : level;
}

function phoneAgreement(left: string, right: string): "exact" | "last_8_digits" | "different" {
  if (left === right) return "exact";
  // +82 10-… and 010-… are the same line written with and without the country code.
  if (left.length >= 8 && right.length >= 8 && left.slice(-8) === right.slice(-8)) return "last_8_digits";
  return "different";
}

function sharePostalCode(a: PersonRecord, b: PersonRecord): boolean {
  return (
    a.postalCode !== undefined &&
    b.postalCode !== undefined &&
    normalisePostalCode(a.postalCode) === normalisePostalCode(b.postalCode)
  );
}
