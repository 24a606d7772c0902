import {
  compareField,
  normaliseEmail,
  type PersonRecord,
  phoneDigits,
} from "../../services/identity/src/domain/matching/index.js";

const consistentNameLevels = new Set([
  "exact",
  "swapped",
  "swapped_counted_in_first_name",
  "jaro_winkler_0.92",
  "jaro_winkler_0.88",
]);

/**
 * What the deterministic identity graph would link, as the evaluation models it: two records with
 * the same email (lower-cased) or the same phone (digits) AND consistent names (first and last
 * name both present and each exact, swapped or Jaro-Winkler ≥ 0.88). A shared identifier with
 * different names (a family phone, a recycled email) is left to the probabilistic model.
 */
export function deterministicLinks(records: readonly PersonRecord[]): Array<[number, number]> {
  const byIdentifier = new Map<string, number[]>();
  records.forEach((record, index) => {
    const keys: string[] = [];
    if (record.email) {
      const { local, domain } = normaliseEmail(record.email);
      keys.push(`email:${local}@${domain}`);
    }
    if (record.phone) keys.push(`phone:${phoneDigits(record.phone)}`);
    for (const key of keys) byIdentifier.set(key, [...(byIdentifier.get(key) ?? []), index]);
  });
  const links = new Map<string, [number, number]>();
  for (const members of byIdentifier.values()) {
    for (let i = 0; i < members.length; i += 1) {
      for (let j = i + 1; j < members.length; j += 1) {
        const a = members[i] ?? 0;
        const b = members[j] ?? 0;
        const left = records[a];
        const right = records[b];
        if (left && right && haveConsistentNames(left, right)) links.set(`${a}:${b}`, [a, b]);
      }
    }
  }
  return [...links.values()];
}

function haveConsistentNames(a: PersonRecord, b: PersonRecord): boolean {
  return (["firstName", "lastName"] as const).every((field) =>
    consistentNameLevels.has(compareField(field, a, b).level),
  );
}

/** Whether two records share an email or a phone (the pairs the graph sees, whatever the names). */
export function shareIdentifier(a: PersonRecord, b: PersonRecord): boolean {
  const emailShared =
    a.email !== undefined && b.email !== undefined && a.email.toLowerCase() === b.email.toLowerCase();
  const phoneShared =
    a.phone !== undefined && b.phone !== undefined && phoneDigits(a.phone) === phoneDigits(b.phone);
  return emailShared || phoneShared;
}
