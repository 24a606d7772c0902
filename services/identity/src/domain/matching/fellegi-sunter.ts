import type { RecordComparison } from "./comparison.js";
import type { ComparisonField } from "./comparison-levels.js";
import type { MatchModel } from "./match-model.js";

/** One field's share of a match score: what was compared, at which level, and what it weighed. */
export type FieldEvidence = {
  field: ComparisonField;
  level: string;
  left: string | undefined;
  right: string | undefined;
  /** log2(m/u); 0 for a neutral level (a missing value, a name-based email handle). */
  weight: number;
  m: number | undefined;
  u: number | undefined;
};

export type MatchScore = {
  leftId: string;
  rightId: string;
  /** Σ log2(m/u) over the fields present on both sides, without the prior. */
  matchWeight: number;
  /** log2(λ / (1 − λ)): where the evidence starts before any field is looked at. */
  priorWeight: number;
  matchProbability: number;
  evidence: FieldEvidence[];
};

export function scoreComparison(model: MatchModel, comparison: RecordComparison): MatchScore {
  const evidence = comparison.fields.map((fieldComparison): FieldEvidence => {
    const { field, level, levelIndex, left, right } = fieldComparison;
    if (levelIndex === undefined) return { field, level, left, right, weight: 0, m: undefined, u: undefined };
    const probabilities = model.fields[field];
    const m = probabilities.m[levelIndex] ?? Number.NaN;
    const u = probabilities.u[levelIndex] ?? Number.NaN;
    return { field, level, left, right, weight: Math.log2(m / u), m, u };
  });
  const matchWeight = evidence.reduce((sum, field) => sum + field.weight, 0);
  const priorWeight = priorWeightOf(model.priorMatchProbability);
  return {
    leftId: comparison.leftId,
    rightId: comparison.rightId,
    matchWeight,
    priorWeight,
    matchProbability: matchProbability(matchWeight, model.priorMatchProbability),
    evidence,
  };
}

export function priorWeightOf(priorMatchProbability: number): number {
  return Math.log2(priorMatchProbability / (1 - priorMatchProbability));
}

/**
 * 2^(w + log2(λ/(1−λ))) / (1 + 2^(…)), written as a logistic of the total so a large weight
 * does not overflow to Infinity/Infinity.
 */
export function matchProbability(matchWeight: number, priorMatchProbability: number): number {
  const total = matchWeight + priorWeightOf(priorMatchProbability);
  return 1 / (1 + 2 ** -total);
}
