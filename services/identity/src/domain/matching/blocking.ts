import type { ComparisonField } from "./comparison-levels.js";
import type { PersonRecord } from "./person-record.js";

/**
 * A blocking rule: records that share a key are compared, all others are not. A rule may give a
 * record several keys (to catch swapped names) or none (a value it needs is missing).
 */
export type BlockingRule = {
  name: string;
  /** The fields the keys are made of; EM does not estimate their m from this rule's pairs. */
  fields: readonly ComparisonField[];
  blockingKeys: (record: PersonRecord) => readonly string[];
};

export type BlockingOptions = {
  /**
   * A block bigger than this is skipped (and reported): one common value (a placeholder birth
   * date, a big building's postal code with a common surname) would otherwise add size² pairs.
   */
  maxBlockSize: number;
};

export const defaultBlockingOptions: BlockingOptions = { maxBlockSize: 200 };

export type CandidatePair = {
  left: PersonRecord;
  right: PersonRecord;
  /** Every rule that proposed the pair, in rule order. */
  rules: string[];
};

export type SkippedBlock = { rule: string; key: string; size: number };

export type CandidatePairs = {
  pairs: CandidatePair[];
  /** Pairs each rule proposed, before de-duplication across rules. */
  pairCountsByRule: Record<string, number>;
  skippedBlocks: SkippedBlock[];
};

/**
 * Candidate pairs from all rules, each pair once (left = the record earlier in the input), in a
 * deterministic order. Cost is the sum of block sizes squared, never n².
 */
export function findCandidatePairs(
  records: readonly PersonRecord[],
  rules: readonly BlockingRule[],
  options: BlockingOptions = defaultBlockingOptions,
): CandidatePairs {
  const pairsByKey = new Map<string, CandidatePair>();
  const pairCountsByRule: Record<string, number> = {};
  const skippedBlocks: SkippedBlock[] = [];
  for (const rule of rules) {
    let ruleCount = 0;
    for (const [key, members] of blocksOf(records, rule)) {
      if (members.length > options.maxBlockSize) {
        skippedBlocks.push({ rule: rule.name, key, size: members.length });
        continue;
      }
      for (let i = 0; i < members.length; i += 1) {
        for (let j = i + 1; j < members.length; j += 1) {
          const leftIndex = members[i] ?? 0;
          const rightIndex = members[j] ?? 0;
          const pairKey = `${leftIndex}:${rightIndex}`;
          const existing = pairsByKey.get(pairKey);
          if (existing?.rules.includes(rule.name)) continue;
          ruleCount += 1;
          if (existing) existing.rules.push(rule.name);
          else {
            const left = records[leftIndex];
            const right = records[rightIndex];
            if (left && right) pairsByKey.set(pairKey, { left, right, rules: [rule.name] });
          }
        }
      }
    }
    pairCountsByRule[rule.name] = ruleCount;
  }
  return { pairs: [...pairsByKey.values()], pairCountsByRule, skippedBlocks };
}

/** Record indexes (ascending) per key of one rule; a record with two equal keys is listed once. */
function blocksOf(records: readonly PersonRecord[], rule: BlockingRule): Map<string, number[]> {
  const blocks = new Map<string, number[]>();
  records.forEach((record, index) => {
    for (const key of new Set(rule.blockingKeys(record))) {
      const members = blocks.get(key);
      if (members) members.push(index);
      else blocks.set(key, [index]);
    }
  });
  return blocks;
}
