import type { PostalAddress } from "@rapport/events";
import { cities, givenNames, mailDomains, streets, surnames } from "./catalog.js";
import type { Draws } from "./draws.js";

/** How a person behaves as a buyer over the window. */
export type BuyerKind = "loyal" | "regular" | "occasional" | "one_time" | "never";

/**
 * One real person of the company. The platform only sees their sign-ups, orders, calls and visits;
 * how many customers it ends up with depends on how well identity stitches those together.
 */
export type Person = {
  index: number;
  customerNumber: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  address: PostalAddress;
  /** As the person typed it at sign-up: mixed case (ingestion lower-cases it). */
  email: string;
  /** National format 010-xxxx-xxxx; shared with the head of the household for family phones. */
  phone: string;
  /** The phone written as the call center's system writes it (+82 10-…), same number. */
  phoneInternational: string;
  loyaltyCard?: string;
  /** The browser cookie of the person's first visits, before they ever log in. */
  cookie: string;
  signedUpAt: number;
  buyer: BuyerKind;
  /** A second sign-up years of typing later: another email (typo or another provider), maybe the same phone. */
  duplicate?: { at: number; email: string; firstName: string; phone?: string };
  /** The index of the person whose phone this one shares (a family phone). */
  sharesPhoneOf?: number;
};

const dayMs = 86_400_000;

/** A national Korean mobile number libphonenumber accepts; distinct for distinct slots. */
function mobileNumber(slot: number): string {
  const exchange = 2_000 + Math.floor(slot / 10_000);
  return `010-${exchange}-${String(slot % 10_000).padStart(4, "0")}`;
}

function international(national: string): string {
  return `+82 ${national.slice(1)}`;
}

function mixedCase(draws: Draws, text: string): string {
  return draws.chance(0.3) ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/** One typing mistake: a doubled, dropped or swapped letter. */
export function typo(draws: Draws, text: string): string {
  if (text.length < 3) return `${text}${text.slice(-1)}`;
  const at = draws.int(1, text.length - 2);
  switch (draws.int(0, 2)) {
    case 0:
      return text.slice(0, at) + text.charAt(at) + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1);
    default:
      return text.slice(0, at) + text.charAt(at + 1) + text.charAt(at) + text.slice(at + 2);
  }
}

export type PeopleShape = {
  people: number;
  windowStart: number;
  now: number;
  /** Share of people who sign up a second time. */
  duplicateShare: number;
  /** Share of people who use a household member's phone. */
  familyPhoneShare: number;
  /** Part of every customer number, phone, card and cookie: companies of different seeds share none. */
  seed: number;
};

/**
 * The population: sign-ups spread over the window (more early, the installed base), buyers of every
 * kind, and the fragmentation real systems have (second sign-ups, family phones).
 */
export function peopleOf(draws: Draws, shape: PeopleShape): Person[] {
  const span = shape.now - shape.windowStart;
  const people: Person[] = [];
  const phoneSlots = 3_970 * 10_000;
  const phoneStride = 7_919; // prime to the slot count, so index → slot never repeats
  for (let index = 0; index < shape.people; index += 1) {
    const lastName = draws.pick(surnames);
    const firstName = draws.pick(givenNames);
    const where = draws.pick(cities);
    const localPart = `${firstName.toLowerCase()}.${lastName.toLowerCase()}${draws.int(1, 99)}`;
    const ownPhone = mobileNumber((index * phoneStride + shape.seed * 1_000_003) % phoneSlots);
    const household = index > 0 && draws.chance(shape.familyPhoneShare) ? draws.int(0, index - 1) : undefined;
    const phone = household === undefined ? ownPhone : (people[household] as Person).phone;
    // Half the base signed up in the first months (the installed base), the rest spread to now.
    const signedUpAt = Math.round(
      shape.windowStart + span * (draws.chance(0.5) ? draws.uniform() * 0.1 : draws.uniform()),
    );
    const buyerRoll = draws.uniform();
    const buyer: BuyerKind =
      buyerRoll < 0.1
        ? "loyal"
        : buyerRoll < 0.4
          ? "regular"
          : buyerRoll < 0.7
            ? "occasional"
            : buyerRoll < 0.85
              ? "one_time"
              : "never";
    const person: Person = {
      index,
      customerNumber: `C-${shape.seed}-${100_001 + index}`,
      firstName,
      lastName,
      birthDate: `${draws.int(1955, 2004)}-${String(draws.int(1, 12)).padStart(2, "0")}-${String(draws.int(1, 28)).padStart(2, "0")}`,
      address: {
        line1: `${draws.int(1, 400)} ${draws.pick(streets)}`,
        line2: "",
        city: where.city,
        region: where.region,
        postalCode: `${where.postalPrefix}${String(draws.int(0, 9_999)).padStart(4, "0")}`,
        countryCode: "KR",
      },
      email: `${mixedCase(draws, localPart)}@${draws.pick(mailDomains)}`,
      phone,
      phoneInternational: international(phone),
      ...(draws.chance(0.4)
        ? {
            loyaltyCard: `9410 ${String(draws.int(0, 9_999)).padStart(4, "0")} ${String(index).padStart(4, "0")}`,
          }
        : {}),
      cookie: `ck-${shape.seed}-${index.toString(36)}-${draws.int(100_000, 999_999)}`,
      signedUpAt,
      buyer,
      ...(household === undefined ? {} : { sharesPhoneOf: household }),
    };
    const duplicateAt = signedUpAt + draws.int(20, 300) * dayMs;
    if (draws.chance(shape.duplicateShare) && duplicateAt < shape.now) {
      const [local = "", domain = ""] = person.email.split("@");
      const email = draws.chance(0.5)
        ? `${typo(draws, local)}@${domain}`
        : `${local}@${draws.pick(mailDomains.filter((other) => other !== domain))}`;
      person.duplicate = {
        at: duplicateAt,
        email,
        firstName: draws.chance(0.3) ? typo(draws, firstName) : firstName,
        ...(draws.chance(0.5) ? { phone: person.phoneInternational } : {}),
      };
    }
    people.push(person);
  }
  return people;
}
