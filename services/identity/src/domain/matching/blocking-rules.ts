import doubleMetaphone from "talisman/phonetics/double-metaphone.js";
import type { BlockingRule } from "./blocking.js";
import { normaliseEmail, normaliseName, normalisePostalCode, phoneDigits } from "./comparators.js";
import type { PersonRecord } from "./person-record.js";

const latinOnly = /^\p{Script=Latin}+$/u;

/**
 * A surname's sound: Double Metaphone for Latin script, so "Smith"/"Smyth" and "Choi"/"Choy"
 * share a block. Metaphone knows only Latin letters; a Hangul or other name ("김") is used as
 * written (normalised), which is how its sound is spelt anyway.
 */
export function phoneticCode(name: string): string | undefined {
  const normalised = normaliseName(name);
  if (normalised === "") return undefined;
  if (!latinOnly.test(normalised)) return normalised;
  const [primary] = doubleMetaphone(normalised);
  return primary === "" ? normalised : primary;
}

/** First letter of a normalised name (a whole syllable for Hangul). */
export function initialOf(name: string): string | undefined {
  const [initial] = normaliseName(name);
  return initial;
}

function present<T>(value: T | undefined): value is T {
  return value !== undefined;
}

/**
 * Postal code + phonetic surname. The first name is also tried as the surname so that
 * "Kim Minjun" and "Minjun Kim" meet in one block.
 */
export const postalCodeAndSurname: BlockingRule = {
  name: "postal_code+phonetic_surname",
  fields: ["address", "lastName"],
  blockingKeys: (record: PersonRecord) => {
    if (!record.postalCode) return [];
    const postal = normalisePostalCode(record.postalCode);
    return [record.lastName, record.firstName]
      .map((name) => (name === undefined ? undefined : phoneticCode(name)))
      .filter(present)
      .map((code) => `${postal}|${code}`);
  },
};

/** Birth date + first-name initial (either name's initial, again for swapped names). */
export const birthDateAndInitial: BlockingRule = {
  name: "birth_date+first_initial",
  fields: ["birthDate", "firstName"],
  blockingKeys: (record: PersonRecord) => {
    const { birthDate } = record;
    if (!birthDate) return [];
    return [record.firstName, record.lastName]
      .map((name) => (name === undefined ? undefined : initialOf(name)))
      .filter(present)
      .map((initial) => `${birthDate}|${initial}`);
  },
};

/** The part of an email before the @: a second account often keeps it at another provider. */
export const emailLocalPart: BlockingRule = {
  name: "email_local_part",
  fields: ["email"],
  blockingKeys: (record: PersonRecord) => {
    if (!record.email) return [];
    const { local } = normaliseEmail(record.email);
    return local === "" ? [] : [local];
  },
};

/** The last 8 digits of a phone: the same line written with or without the country code. */
export const phoneLastDigits: BlockingRule = {
  name: "phone_last_8_digits",
  fields: ["phone"],
  blockingKeys: (record: PersonRecord) => {
    const digits = record.phone ? phoneDigits(record.phone) : "";
    return digits.length < 8 ? [] : [digits.slice(-8)];
  },
};

/**
 * Same first name and surname (as normalised), in either order. As a candidate rule it proposes the
 * pairs the others miss because every other key differs: a birth date one typo off, an email
 * handle with digits added, a new address. As a training rule, email counts as a blocked field:
 * handles are often made of the name, so namesakes agree on them far more than u says.
 */
export const sameFullName: BlockingRule = {
  name: "same_full_name",
  fields: ["firstName", "lastName", "email"],
  blockingKeys: (record: PersonRecord) => {
    if (!record.firstName || !record.lastName) return [];
    const names = [normaliseName(record.firstName), normaliseName(record.lastName)].sort();
    return names.includes("") ? [] : [names.join("|")];
  },
};

/**
 * Candidate rules. A full-name block as big as a common name ("Kim Minjun") is capped by
 * BlockingOptions.maxBlockSize like any other.
 */
export const defaultBlockingRules: readonly BlockingRule[] = [
  postalCodeAndSurname,
  birthDateAndInitial,
  emailLocalPart,
  phoneLastDigits,
  sameFullName,
];

export const sameBirthDate: BlockingRule = {
  name: "same_birth_date",
  fields: ["birthDate"],
  blockingKeys: (record: PersonRecord) => (record.birthDate ? [record.birthDate] : []),
};

/** Blocks for estimating m (see TrainingOptions.trainingRules). */
export const defaultTrainingRules: readonly BlockingRule[] = [sameFullName, sameBirthDate];
