import { canonicalJson, type PostalAddress } from "@rapport/events";
import { compareEventTimes, compareText, type EventId, type EventTime } from "./identity-types.js";

/** Where a trait value came from: the system, the event and the event's time. */
export type Lineage = { source: string; eventId: EventId; time: EventTime };

export type Trait<Value> = { value: Value; lineage: Lineage };

/**
 * The best-known value of each trait of a customer, each with its lineage. Preferences survive one
 * key at a time (a favourite category stated in the app does not erase a contact time given to the
 * call center); a postal address survives as a whole, because a street from one address and a
 * city from another is nobody's address.
 */
export type GoldenRecord = {
  firstName?: Trait<string>;
  lastName?: Trait<string>;
  email?: Trait<string>;
  phone?: Trait<string>;
  postalAddress?: Trait<PostalAddress>;
  birthDate?: Trait<string>;
  preferences: Readonly<Record<string, Trait<string>>>;
};

/** The traits one event states about its customer (see golden-record-observation.ts). */
export type TraitObservation = {
  source: string;
  eventId: EventId;
  time: EventTime;
  traits: {
    firstName?: string;
    lastName?: string;
    email?: string;
    phone?: string;
    postalAddress?: PostalAddress;
    birthDate?: string;
    preferences?: Readonly<Record<string, string>>;
  };
};

/** Sources in order of trust, most trusted first; a source not listed is trusted least. */
export type SurvivorshipRules = { sourcePriority: readonly string[] };

export const defaultSurvivorshipRules: SurvivorshipRules = { sourcePriority: [] };

const textTraits = ["firstName", "lastName", "email", "phone", "birthDate"] as const;

export function emptyGoldenRecord(): GoldenRecord {
  return { preferences: {} };
}

/**
 * Every trait keeps the claim that wins survivorship, so combining is a per-trait maximum under a
 * total order: associative, commutative and idempotent, with the empty record as identity. That
 * is what makes a merged customer's record equal the record folded from both histories, in any
 * order the events arrived.
 */
export function combineGoldenRecords(
  a: GoldenRecord,
  b: GoldenRecord,
  rules: SurvivorshipRules = defaultSurvivorshipRules,
): GoldenRecord {
  // `a` itself when `b` wins no claim: an observation that changes nothing leaves the same record.
  if (!winsAnyClaim(b, a, rules)) return a;
  const combined: GoldenRecord = { preferences: combinePreferences(a.preferences, b.preferences, rules) };
  for (const trait of textTraits) {
    const winner = survivingClaim(a[trait], b[trait], rules);
    if (winner !== undefined) combined[trait] = winner;
  }
  const postalAddress = survivingClaim(a.postalAddress, b.postalAddress, rules);
  if (postalAddress !== undefined) combined.postalAddress = postalAddress;
  return combined;
}

/** Whether some claim of `challenger` beats the record's (or fills a trait the record lacks). */
function winsAnyClaim(challenger: GoldenRecord, record: GoldenRecord, rules: SurvivorshipRules): boolean {
  const beats = <Value>(claim: Trait<Value> | undefined, held: Trait<Value> | undefined) =>
    claim !== undefined && (held === undefined || compareClaims(claim, held, rules) < 0);
  return (
    textTraits.some((trait) => beats(challenger[trait], record[trait])) ||
    beats(challenger.postalAddress, record.postalAddress) ||
    Object.entries(challenger.preferences).some(([key, claim]) =>
      beats(claim, Object.hasOwn(record.preferences, key) ? record.preferences[key] : undefined),
    )
  );
}

export function evolveGoldenRecord(
  record: GoldenRecord,
  observation: TraitObservation,
  rules: SurvivorshipRules = defaultSurvivorshipRules,
): GoldenRecord {
  return combineGoldenRecords(record, goldenRecordOf(observation), rules);
}

/** The record a single observation gives: its non-empty traits, each with the observation's lineage. */
export function goldenRecordOf(observation: TraitObservation): GoldenRecord {
  const lineage: Lineage = {
    source: observation.source,
    eventId: observation.eventId,
    time: observation.time,
  };
  const { preferences = {}, postalAddress } = observation.traits;
  const record: GoldenRecord = {
    preferences: Object.fromEntries(
      Object.entries(preferences)
        .filter(([, value]) => value.trim() !== "")
        .map(([key, value]) => [key, { value, lineage }]),
    ),
  };
  for (const trait of textTraits) {
    const value = observation.traits[trait];
    if (value !== undefined && value.trim() !== "") record[trait] = { value, lineage };
  }
  if (postalAddress !== undefined && Object.values(postalAddress).some((line) => line?.trim())) {
    record.postalAddress = { value: postalAddress, lineage };
  }
  return record;
}

/**
 * Survivorship of two claims on one trait, winner first (negative when `a` wins): the most recent
 * event time; then the more trusted source; then, only so that the order is total and the result
 * never depends on which claim was seen first: the source name (between sources equally trusted),
 * the greater event id, and the value itself.
 */
export function compareClaims<Value>(a: Trait<Value>, b: Trait<Value>, rules: SurvivorshipRules): number {
  return (
    compareEventTimes(b.lineage.time, a.lineage.time) ||
    sourceRank(rules, a.lineage.source) - sourceRank(rules, b.lineage.source) ||
    compareText(b.lineage.source, a.lineage.source) ||
    compareText(b.lineage.eventId, a.lineage.eventId) ||
    compareText(canonicalJson(b.value), canonicalJson(a.value))
  );
}

function survivingClaim<Value>(
  a: Trait<Value> | undefined,
  b: Trait<Value> | undefined,
  rules: SurvivorshipRules,
): Trait<Value> | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareClaims(a, b, rules) <= 0 ? a : b;
}

function combinePreferences(
  a: Readonly<Record<string, Trait<string>>>,
  b: Readonly<Record<string, Trait<string>>>,
  rules: SurvivorshipRules,
): Record<string, Trait<string>> {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareText);
  return Object.fromEntries(
    keys.flatMap((key) => {
      const winner = survivingClaim(
        Object.hasOwn(a, key) ? a[key] : undefined,
        Object.hasOwn(b, key) ? b[key] : undefined,
        rules,
      );
      return winner === undefined ? [] : [[key, winner]];
    }),
  );
}

function sourceRank(rules: SurvivorshipRules, source: string): number {
  const rank = rules.sourcePriority.indexOf(source);
  return rank === -1 ? rules.sourcePriority.length : rank;
}
