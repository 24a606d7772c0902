import { type RandomSource, randomInt, seededRandom } from "@rapport/sampling";
import type { PersonRecord } from "../../services/identity/src/domain/matching/index.js";
import {
  cities,
  koreanEmailDomains,
  koreanGivenNames,
  koreanRoads,
  koreanSurnames,
  surnameRomanizations,
  westernEmailDomains,
  westernGivenNames,
  westernSurnames,
} from "./name-pools.js";

/**
 * A labelled synthetic population for scoring identity resolution: people live in households, sign up
 * one or more times, and every sign-up is a record labelled with its true person.
 *
 * The default mix (defaultSyntheticMix) and why each hard case is there:
 * - 80 % Korean romanized names drawn by real surname frequency (a fifth are Kim) and a pool of 60
 *   common given names, 20 % Western names: many different people share a full name.
 * - Households of 1–5 people (35/25/20/15/5 %) at one address; about 4 people per postal code, so
 *   neighbours in one apartment complex share a postal code and almost the whole street line.
 *   Children carry the head's surname; 30 % of multi-person households share one "family" phone
 *   (a child's records always use it, other members' records 60 % of the time); 3 % of households
 *   with children have twins (same surname, birth date, address). Household members are different
 *   people and must not be merged.
 * - Sign-ups per person 1–5 (55/25/12/6/2 %): the true duplicates.
 * - On every record: first-name typo 8 %, surname typo 4 % (one substitution, deletion, doubling or
 *   transposition), swapped first/last name 5 %, another romanization of the surname 5 %
 *   (Lee/Yi/Rhee, Park/Pak), birth-date typo 5 % (transposed or one changed digit), the phone as
 *   010-… instead of +8210… 20 %, a variant of the street line 20 %; missing: first name 2 %,
 *   surname 2 %, birth date 30 %, address 25 % (street line alone another 10 %), email 10 %,
 *   phone 20 %.
 * - On every sign-up after the first: a new email 50 % (a second account: same local part at another
 *   provider, the local part with digits, or a new handle), a new phone 15 %, a new address 15 %.
 * - Recycled emails: 1.5 % of records carry the email of another, unrelated person.
 */
export type SyntheticMix = {
  people: number;
  westernShare: number;
  householdSizes: ReadonlyArray<readonly [number, number]>;
  peoplePerPostalCode: number;
  familyPhoneShare: number;
  familyPhoneUse: number;
  twinShare: number;
  recordsPerPerson: ReadonlyArray<readonly [number, number]>;
  perRecord: {
    firstNameTypo: number;
    lastNameTypo: number;
    swappedNames: number;
    romanization: number;
    birthDateTypo: number;
    phoneFormat: number;
    streetVariant: number;
    recycledEmail: number;
  };
  missing: {
    firstName: number;
    lastName: number;
    birthDate: number;
    address: number;
    addressLine: number;
    email: number;
    phone: number;
  };
  laterSignUp: { newEmail: number; newPhone: number; moved: number };
};

export const defaultSyntheticMix: SyntheticMix = {
  people: 5_000,
  westernShare: 0.2,
  householdSizes: [
    [1, 35],
    [2, 25],
    [3, 20],
    [4, 15],
    [5, 5],
  ],
  peoplePerPostalCode: 4,
  familyPhoneShare: 0.3,
  familyPhoneUse: 0.6,
  twinShare: 0.03,
  recordsPerPerson: [
    [1, 55],
    [2, 25],
    [3, 12],
    [4, 6],
    [5, 2],
  ],
  perRecord: {
    firstNameTypo: 0.08,
    lastNameTypo: 0.04,
    swappedNames: 0.05,
    romanization: 0.05,
    birthDateTypo: 0.05,
    phoneFormat: 0.2,
    streetVariant: 0.2,
    recycledEmail: 0.015,
  },
  missing: {
    firstName: 0.02,
    lastName: 0.02,
    birthDate: 0.3,
    address: 0.25,
    addressLine: 0.1,
    email: 0.1,
    phone: 0.2,
  },
  laterSignUp: { newEmail: 0.5, newPhone: 0.15, moved: 0.15 },
};

export type Variation =
  | "first_name_typo"
  | "last_name_typo"
  | "swapped_names"
  | "romanization"
  | "birth_date_typo"
  | "phone_format"
  | "street_variant"
  | "recycled_email"
  | "family_phone"
  | "new_email"
  | "new_phone"
  | "moved";

/** A record as the matcher sees it, plus the truth the evaluation scores against. */
export type LabelledRecord = PersonRecord & {
  personId: string;
  householdId: string;
  variations: Variation[];
};

type Address = { postalCode: string; addressLine: string; city: string };

type Person = {
  personId: string;
  householdId: string;
  firstName: string;
  lastName: string;
  isKorean: boolean;
  birthDate: string;
  address: Address;
  email: string;
  phone: string;
  /** The household's shared phone, when this person's records may use it. */
  familyPhone: string | undefined;
  isChild: boolean;
};

export function generateSyntheticPeople(
  seed: number,
  mix: SyntheticMix = defaultSyntheticMix,
): LabelledRecord[] {
  const random = seededRandom(seed);
  const world = createWorld(random, mix);
  const people = createPeople(world, mix);
  const records: LabelledRecord[] = [];
  for (const person of people) {
    const count = weightedChoice(random, mix.recordsPerPerson);
    for (let signUp = 0; signUp < count; signUp += 1) {
      records.push(signUpRecord(world, mix, person, signUp, people));
    }
  }
  shuffle(random, records);
  return records.map((record, index) => ({ ...record, recordId: `r${String(index).padStart(6, "0")}` }));
}

type World = {
  random: RandomSource;
  postalCodes: Array<{ code: string; road: string; building: number; city: string }>;
  usedEmails: Set<string>;
  usedPhones: Set<string>;
};

function createWorld(random: RandomSource, mix: SyntheticMix): World {
  const postalCodeCount = Math.max(1, Math.round(mix.people / mix.peoplePerPostalCode));
  const codes = new Set<string>();
  while (codes.size < postalCodeCount) codes.add(String(1_000 + randomInt(random, 62_000)).padStart(5, "0"));
  const postalCodes = [...codes].map((code) => ({
    code,
    road: pick(random, koreanRoads),
    building: 1 + randomInt(random, 600),
    city: pick(random, cities),
  }));
  return { random, postalCodes, usedEmails: new Set(), usedPhones: new Set() };
}

function createPeople(world: World, mix: SyntheticMix): Person[] {
  const { random } = world;
  const people: Person[] = [];
  let householdIndex = 0;
  while (people.length < mix.people) {
    const size = Math.min(weightedChoice(random, mix.householdSizes), mix.people - people.length);
    const householdId = `h${householdIndex}`;
    householdIndex += 1;
    const isKorean = random() >= mix.westernShare;
    const address = newAddress(world);
    const familySurname = surname(random, isKorean);
    const headYear = 1950 + randomInt(random, 50);
    const givenNames = new Set<string>();
    const members: Person[] = [];
    const hasTwins = size >= 4 && random() < mix.twinShare;
    for (let member = 0; member < size; member += 1) {
      const isChild = member >= 2;
      // Korean spouses keep their own surname; children take the head's.
      const lastName =
        member === 1 && (isKorean || random() < 0.3) ? surname(random, isKorean) : familySurname;
      let firstName = givenName(random, isKorean);
      while (givenNames.has(firstName)) firstName = givenName(random, isKorean);
      givenNames.add(firstName);
      const twinOf = hasTwins && member === 3 ? members[2] : undefined;
      const birthYear = isChild
        ? Math.min(headYear + 24 + randomInt(random, 16), 2018)
        : headYear + randomInt(random, 9) - 4;
      members.push({
        personId: `p${people.length + members.length}`,
        householdId,
        firstName,
        lastName,
        isKorean,
        birthDate: twinOf?.birthDate ?? randomDate(random, birthYear),
        address,
        email: newEmail(world, firstName, lastName, isKorean, birthYear),
        phone: newPhone(world),
        familyPhone: undefined,
        isChild,
      });
    }
    const [owner] = members;
    if (owner && size >= 2 && random() < mix.familyPhoneShare) {
      for (const member of members.slice(1)) member.familyPhone = owner.phone;
    }
    people.push(...members);
  }
  return people;
}

function signUpRecord(
  world: World,
  mix: SyntheticMix,
  person: Person,
  signUp: number,
  people: Person[],
): LabelledRecord {
  const { random } = world;
  const variations: Variation[] = [];
  const vary = (variation: Variation, probability: number) => {
    const applies = random() < probability;
    if (applies) variations.push(variation);
    return applies;
  };
  let firstName = person.firstName;
  let lastName = person.lastName;
  if (vary("romanization", surnameRomanizations[lastName] ? mix.perRecord.romanization : 0)) {
    lastName = pick(random, surnameRomanizations[lastName] ?? [lastName]);
  }
  if (vary("first_name_typo", mix.perRecord.firstNameTypo)) firstName = typo(random, firstName);
  if (vary("last_name_typo", mix.perRecord.lastNameTypo)) lastName = typo(random, lastName);
  if (vary("swapped_names", mix.perRecord.swappedNames)) [firstName, lastName] = [lastName, firstName];

  let birthDate = person.birthDate;
  if (vary("birth_date_typo", mix.perRecord.birthDateTypo)) birthDate = dateTypo(random, birthDate);

  const isLater = signUp > 0;
  let address = person.address;
  if (isLater && vary("moved", mix.laterSignUp.moved)) address = newAddress(world);
  let addressLine = address.addressLine;
  if (vary("street_variant", mix.perRecord.streetVariant)) addressLine = streetVariant(random, addressLine);

  let email = person.email;
  if (isLater && vary("new_email", mix.laterSignUp.newEmail)) email = secondEmail(world, person);
  if (vary("recycled_email", mix.perRecord.recycledEmail)) email = recycledEmail(random, person, people);

  let phone = person.phone;
  if (person.familyPhone && (person.isChild || random() < mix.familyPhoneUse)) {
    phone = person.familyPhone;
    variations.push("family_phone");
  }
  if (isLater && vary("new_phone", mix.laterSignUp.newPhone)) phone = newPhone(world);
  if (vary("phone_format", mix.perRecord.phoneFormat))
    phone = `0${phone.slice(3, 5)}-${phone.slice(5, 9)}-${phone.slice(9)}`;

  const missing = (probability: number) => random() < probability;
  const hasAddress = !missing(mix.missing.address);
  return {
    recordId: "",
    personId: person.personId,
    householdId: person.householdId,
    variations,
    ...(missing(mix.missing.firstName) ? {} : { firstName }),
    ...(missing(mix.missing.lastName) ? {} : { lastName }),
    ...(missing(mix.missing.birthDate) ? {} : { birthDate }),
    ...(hasAddress ? { postalCode: address.postalCode, city: address.city } : {}),
    ...(hasAddress && !missing(mix.missing.addressLine) ? { addressLine } : {}),
    ...(missing(mix.missing.email) ? {} : { email }),
    ...(missing(mix.missing.phone) ? {} : { phone }),
  };
}

function newAddress(world: World): Address {
  const { random } = world;
  const place = pick(random, world.postalCodes);
  // Most people live in apartment complexes: one postal code, one building number, many units.
  const addressLine =
    random() < 0.7
      ? `${place.building} ${place.road}, Apt ${101 + randomInt(random, 12)}-${(1 + randomInt(random, 25)) * 100 + 1 + randomInt(random, 6)}`
      : `${1 + randomInt(random, 900)} ${place.road}`;
  return { postalCode: place.code, addressLine, city: place.city };
}

function streetVariant(random: RandomSource, line: string): string {
  const unit = /, Apt (\d+)-(\d+)$/.exec(line);
  if (unit) {
    const base = line.slice(0, unit.index);
    const forms = [
      `${base} ${unit[1]}-${unit[2]}`,
      `${base} #${unit[1]}-${unit[2]}`,
      `${base} ${unit[1]}dong ${unit[2]}ho`,
    ];
    return pick(random, forms);
  }
  return random() < 0.5 ? line.toLowerCase() : line.replace("-ro", " ro");
}

function surname(random: RandomSource, isKorean: boolean): string {
  return isKorean ? weightedChoice(random, koreanSurnames) : pick(random, westernSurnames);
}

function givenName(random: RandomSource, isKorean: boolean): string {
  return pick(random, isKorean ? koreanGivenNames : westernGivenNames);
}

function newEmail(
  world: World,
  firstName: string,
  lastName: string,
  isKorean: boolean,
  birthYear: number,
): string {
  const { random } = world;
  const given = asciiLower(firstName);
  const family = asciiLower(lastName);
  const patterns = [
    `${given}.${family}`,
    `${given}${family}${String(birthYear).slice(2)}`,
    `${given[0] ?? ""}${family}${randomInt(random, 100)}`,
    `${family}${given}`,
    `${pick(random, ["sunny", "happy", "blue", "star", "moon", "tiger", "cool"])}${randomInt(random, 1000)}`,
  ];
  const domain = weightedChoice(random, isKorean ? koreanEmailDomains : westernEmailDomains);
  let local = pick(random, patterns);
  while (world.usedEmails.has(`${local}@${domain}`)) local = `${local}${randomInt(random, 10)}`;
  world.usedEmails.add(`${local}@${domain}`);
  return `${local}@${domain}`;
}

/** A second account: same handle elsewhere, the handle with digits, or a new handle. */
function secondEmail(world: World, person: Person): string {
  const { random } = world;
  const [local = "", domain = ""] = person.email.split("@");
  const choice = random();
  const domains = person.isKorean ? koreanEmailDomains : westernEmailDomains;
  let candidate: string;
  if (choice < 0.3) {
    const others = domains.filter(([name]) => name !== domain);
    candidate = `${local}@${weightedChoice(random, others.length > 0 ? others : domains)}`;
  } else if (choice < 0.6) candidate = `${local}${1 + randomInt(random, 99)}@${domain}`;
  else
    return newEmail(world, person.firstName, person.lastName, person.isKorean, 1900 + randomInt(random, 100));
  if (world.usedEmails.has(candidate))
    return newEmail(world, person.firstName, person.lastName, person.isKorean, 1990);
  world.usedEmails.add(candidate);
  return candidate;
}

/** A provider gave a dormant address to someone new: the email now belongs to another person. */
function recycledEmail(random: RandomSource, person: Person, people: Person[]): string {
  let other = pick(random, people);
  while (other.householdId === person.householdId) other = pick(random, people);
  return other.email;
}

function newPhone(world: World): string {
  let phone: string;
  do phone = `+8210${String(randomInt(world.random, 100_000_000)).padStart(8, "0")}`;
  while (world.usedPhones.has(phone));
  world.usedPhones.add(phone);
  return phone;
}

const letters = "abcdefghijklmnopqrstuvwxyz";

/** One slip of the keyboard: substitute, delete, double or transpose a letter (never the first). */
function typo(random: RandomSource, name: string): string {
  if (name.length < 3) return `${name}${name.at(-1) ?? ""}`;
  const position = 1 + randomInt(random, name.length - 1);
  const kind = randomInt(random, 4);
  const before = name.slice(0, position);
  const after = name.slice(position + 1);
  const letter = name[position] ?? "";
  switch (kind) {
    case 0: {
      let replacement = pick(random, [...letters]);
      while (replacement === letter) replacement = pick(random, [...letters]);
      return `${before}${replacement}${after}`;
    }
    case 1:
      return `${before}${after}`;
    case 2:
      return `${before}${letter}${letter}${after}`;
    default:
      return position < name.length - 1
        ? `${before}${name[position + 1] ?? ""}${letter}${name.slice(position + 2)}`
        : `${name.slice(0, position - 1)}${letter}${name[position - 1] ?? ""}`;
  }
}

/** Transposed day or month digits, or one wrong digit, as long as the result is still a date. */
function dateTypo(random: RandomSource, date: string): string {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const digits = [...date];
    const kind = randomInt(random, 3);
    if (kind === 0) [digits[8], digits[9]] = [digits[9] ?? "", digits[8] ?? ""];
    else if (kind === 1) [digits[5], digits[6]] = [digits[6] ?? "", digits[5] ?? ""];
    else {
      const position = pick(random, [3, 6, 9]);
      digits[position] = String(randomInt(random, 10));
    }
    const candidate = digits.join("");
    if (candidate !== date && isValidDate(candidate)) return candidate;
  }
  return date;
}

function isValidDate(date: string): boolean {
  const [year, month, day] = date.split("-").map(Number);
  if (year === undefined || month === undefined || day === undefined) return false;
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return (
    parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day
  );
}

function randomDate(random: RandomSource, year: number): string {
  const day = new Date(Date.UTC(year, 0, 1) + randomInt(random, 365) * 86_400_000);
  return day.toISOString().slice(0, 10);
}

function asciiLower(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
}

function pick<T>(random: RandomSource, values: readonly T[]): T {
  const value = values[randomInt(random, values.length)];
  if (value === undefined) throw new Error("pick from an empty list");
  return value;
}

function weightedChoice<T>(random: RandomSource, weighted: ReadonlyArray<readonly [T, number]>): T {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  let threshold = random() * total;
  for (const [value, weight] of weighted) {
    threshold -= weight;
    if (threshold < 0) return value;
  }
  const last = weighted.at(-1);
  if (!last) throw new Error("choice from an empty list");
  return last[0];
}

function shuffle<T>(random: RandomSource, values: T[]): void {
  for (let index = values.length - 1; index > 0; index -= 1) {
    const other = randomInt(random, index + 1);
    [values[index], values[other]] = [values[other] as T, values[index] as T];
  }
}
