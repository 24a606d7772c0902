import { randomInt, seededRandom } from "@rapport/sampling";
import { compareRecords } from "./comparison.js";
import {
  type ComparisonField,
  comparisonFields,
  comparisonLevels,
  levelGroupsOf,
} from "./comparison-levels.js";
import { floored } from "./match-model.js";
import type { PersonRecord } from "./person-record.js";

export type UEstimationOptions = {
  /** How many random pairs to compare; rare levels (an exact address) need a few hundred thousand. */
  sampleSize: number;
  seed: number;
};

export type UEstimate = {
  u: Record<ComparisonField, number[]>;
  pairsSampled: number;
};

/**
 * u = P(level | non-match) from pairs drawn at random: among n records almost every random pair is
 * two different people, so how often a level occurs among them is how often it occurs by chance.
 */
export function estimateUFromRandomPairs(
  records: readonly PersonRecord[],
  options: UEstimationOptions,
): UEstimate {
  const counts = Object.fromEntries(
    comparisonFields.map((field) => [field, comparisonLevels[field].map(() => 0)]),
  ) as Record<ComparisonField, number[]>;
  const random = seededRandom(options.seed);
  let pairsSampled = 0;
  if (records.length >= 2) {
    for (let draw = 0; draw < options.sampleSize; draw += 1) {
      const leftIndex = randomInt(random, records.length);
      // Drawing from the other n − 1 records never pairs a record with itself.
      const offset = 1 + randomInt(random, records.length - 1);
      const left = records[leftIndex];
      const right = records[(leftIndex + offset) % records.length];
      if (!left || !right) continue;
      pairsSampled += 1;
      for (const comparison of compareRecords(left, right).fields) {
        if (comparison.levelIndex !== undefined) {
          const fieldCounts = counts[comparison.field];
          fieldCounts[comparison.levelIndex] = (fieldCounts[comparison.levelIndex] ?? 0) + 1;
        }
      }
    }
  }
  const u = Object.fromEntries(
    comparisonFields.map((field) => {
      // floored() turns counts into probabilities within each group of levels (uniform if empty).
      return [field, floored(counts[field], levelGroupsOf(field))];
    }),
  ) as Record<ComparisonField, number[]>;
  return { u, pairsSampled };
}
