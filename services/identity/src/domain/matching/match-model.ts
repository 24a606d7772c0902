import { type ComparisonField, comparisonFields, comparisonLevels } from "./comparison-levels.js";

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

/** Clamps to the floor and rescales so the field's levels still sum to one. */
export function floored(probabilities: readonly number[], floor = probabilityFloor): number[] {
  const clamped = probabilities.map((probability) => Math.max(probability, floor));
  const total = clamped.reduce((sum, probability) => sum + probability, 0);
  return clamped.map((probability) => probability / total);
}

/**
 * Where EM starts (Splink-like guesses: strong agreement is likely for a match, disagreement rare).
 * EM moves m from here; u comes from random pairs.
 */
export const startingMProbabilities: Record<ComparisonField, number[]> = {
  firstName: [0.85, 0.02, 0.05, 0.03, 0.03, 0.02],
  lastName: [0.88, 0.02, 0.04, 0.02, 0.02, 0.02],
  birthDate: [0.9, 0.04, 0.02, 0.02, 0.02],
  address: [0.6, 0.1, 0.1, 0.2],
  email: [0.6, 0.05, 0.05, 0.3],
  phone: [0.7, 0.05, 0.25],
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
      return [field, { m: floored(mOfField), u: floored(uOfField) }];
    }),
  ) as Record<ComparisonField, LevelProbabilities>;
  return { priorMatchProbability, fields };
}
