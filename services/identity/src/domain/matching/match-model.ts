import {
  type ComparisonField,
  comparisonFields,
  comparisonLevels,
  levelGroupsOf,
} from "./comparison-levels.js";

/** m = P(level | match) and u = P(level | non-match), one entry per level of the field, in order. */
export type LevelProbabilities = { m: number[]; u: number[] };

/**
 * A Fellegi-Sunter model: per field and level the m and u probabilities, and the prior λ, the
 * probability that two records drawn at random are the same person.
 */
export type MatchModel = {
  priorMatchProbability: number;
  fields: Record<ComparisonField, LevelProbabilities>;
};

/** No level is ever impossible: a zero would turn one field into an absolute veto (log 0). */
export const probabilityFloor = 1e-6;

/**
 * Rescales values (counts or probabilities) so the levels of each group (see levelGroupsOf) sum
 * to one; a group with nothing in it takes `fallback`'s values, or a uniform split.
 */
export function normalisedWithinGroups(
  values: readonly number[],
  groups: readonly number[] = values.map(() => 0),
  fallback?: readonly number[],
): number[] {
  const totals = new Map<number, number>();
  const sizes = new Map<number, number>();
  values.forEach((value, level) => {
    const group = groups[level] ?? 0;
    totals.set(group, (totals.get(group) ?? 0) + value);
    sizes.set(group, (sizes.get(group) ?? 0) + 1);
  });
  return values.map((value, level) => {
    const group = groups[level] ?? 0;
    const total = totals.get(group) ?? 0;
    if (total > 0) return value / total;
    return fallback?.[level] ?? 1 / (sizes.get(group) ?? 1);
  });
}

/** Probabilities clamped to the floor, then rescaled so each group of levels still sums to one. */
export function floored(
  probabilities: readonly number[],
  groups: readonly number[] = probabilities.map(() => 0),
  floor = probabilityFloor,
): number[] {
  const normalised = normalisedWithinGroups(probabilities, groups);
  return normalisedWithinGroups(
    normalised.map((probability) => Math.max(probability, floor)),
    groups,
  );
}

/**
 * Where EM starts (Splink-like guesses: strong agreement is likely for a match, disagreement rare).
 * EM moves m from here; u comes from random pairs.
 */
export const startingMProbabilities: Record<ComparisonField, number[]> = {
  firstName: [0.85, 0.02, 0.05, 0.03, 0.03, 0.02],
  lastName: [0.88, 0.04, 0.02, 0.04, 0.02],
  birthDate: [0.9, 0.04, 0.02, 0.02, 0.02],
  address: [0.6, 0.1, 0.1, 0.2],
  email: [0.6, 0.05, 0.05, 0.3],
  phone: [0.7, 0.05, 0.25, 0.7, 0.05, 0.25],
};

/** A model whose u is uniform over levels: a placeholder until u is estimated. */
export function modelWith(
  u: Record<ComparisonField, number[]>,
  priorMatchProbability: number,
  m: Record<ComparisonField, number[]> = startingMProbabilities,
): MatchModel {
  const fields = Object.fromEntries(
    comparisonFields.map((field) => {
      const levelCount = comparisonLevels[field].length;
      const mOfField = m[field];
      const uOfField = u[field];
      if (mOfField.length !== levelCount || uOfField.length !== levelCount) {
        throw new Error(`${field} needs ${levelCount} m and u probabilities`);
      }
      const groups = levelGroupsOf(field);
      return [field, { m: floored(mOfField, groups), u: floored(uOfField, groups) }];
    }),
  ) as Record<ComparisonField, LevelProbabilities>;
  return { priorMatchProbability, fields };
}
