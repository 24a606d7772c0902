/**
 * What probabilistic matching knows about one source record: the traits a person typed in, plus the
 * email and phone as plain values. Every field may be missing; a missing value is neutral evidence.
 */
export type PersonRecord = {
  recordId: string;
  firstName?: string;
  lastName?: string;
  /** YYYY-MM-DD */
  birthDate?: string;
  postalCode?: string;
  /** Street line (line1 and line2 joined). */
  addressLine?: string;
  city?: string;
  email?: string;
  /** E.164 (+821012345678) or as entered; comparison looks at the digits. */
  phone?: string;
};

/** Two records proposed for comparison; `left` comes first in the input order. */
export type RecordPair = { left: PersonRecord; right: PersonRecord };

/** One key per unordered pair of record ids, the same whichever side each record is on. */
export function pairKey(recordIdA: string, recordIdB: string): string {
  return recordIdA < recordIdB ? `${recordIdA}|${recordIdB}` : `${recordIdB}|${recordIdA}`;
}
