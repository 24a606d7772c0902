import type { RecordComparison } from "./comparison.js";

/**
 * A comparison reduced to what estimation needs: the level index of each field, in
 * comparisonFields order, with -1 for a missing value. Many pairs share a vector, so EM works on
 * distinct vectors with their counts.
 */
export type ComparisonVector = readonly number[];

export const missingLevelIndex = -1;

export function comparisonVector(comparison: RecordComparison): ComparisonVector {
  return comparison.fields.map((field) => field.levelIndex ?? missingLevelIndex);
}

export type VectorCount = { vector: ComparisonVector; count: number };

export function countVectors(vectors: Iterable<ComparisonVector>): VectorCount[] {
  const counts = new Map<string, VectorCount>();
  for (const vector of vectors) {
    const key = vector.join(",");
    const entry = counts.get(key);
    if (entry) entry.count += 1;
    else counts.set(key, { vector, count: 1 });
  }
  return [...counts.values()];
}
