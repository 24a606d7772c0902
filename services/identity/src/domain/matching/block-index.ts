import type { BlockingRule } from "./blocking.js";
import type { PersonRecord } from "./person-record.js";

/**
 * Which customers share a blocking key: the index probabilistic matching looks a customer's
 * candidates up in. A customer filed once stays filed under every key it ever had (candidates are
 * scored on what they are now, so a key it no longer has only costs a comparison). A block that grew
 * beyond `maxBlockSize` gives no candidates, as in training (blocking.ts): it holds one more member
 * than the limit, so that it is known to be too big, and no more.
 */
export function createBlockIndex(rules: readonly BlockingRule[], maxBlockSize: number) {
  const blocks = new Map<string, Set<string>>();
  const keysOf = (record: PersonRecord) =>
    rules.flatMap((rule) => rule.blockingKeys(record).map((key) => `${rule.name}:${key}`));
  return {
    /** Files the record under its keys. */
    add(recordId: string, record: PersonRecord): void {
      for (const key of keysOf(record)) {
        const members = blocks.get(key);
        if (members === undefined) blocks.set(key, new Set([recordId]));
        else if (members.size <= maxBlockSize) members.add(recordId);
      }
    },

    /** The records sharing a block with this one (itself included when filed), big blocks skipped. */
    candidatesOf(record: PersonRecord): Set<string> {
      const candidates = new Set<string>();
      for (const key of keysOf(record)) {
        const members = blocks.get(key);
        if (members === undefined || members.size > maxBlockSize) continue;
        for (const member of members) candidates.add(member);
      }
      return candidates;
    },

    get blockCount(): number {
      return blocks.size;
    },
  };
}

export type BlockIndex = ReturnType<typeof createBlockIndex>;
