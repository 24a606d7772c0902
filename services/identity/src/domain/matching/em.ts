import { type ComparisonField, comparisonFields, levelGroupsOf } from "./comparison-levels.js";
import { type ComparisonVector, countVectors, type VectorCount } from "./comparison-vector.js";
import { floored, type MatchModel, normalisedWithinGroups, probabilityFloor } from "./match-model.js";

export type EmOptions = {
  /** DESIGN §7: stop after 25 rounds at most… */
  maxRounds: number;
  /** …or once no m and no λ moves by more than this. */
  tolerance: number;
  floor: number;
  /**
   * Fields whose m EM estimates; the others are left out of the E-step and keep their m. Pairs
   * from a blocking rule agree on the rule's fields by construction, so those fields say nothing
   * there about match vs non-match (Splink does the same).
   */
  activeFields: readonly ComparisonField[];
};

export const defaultEmOptions: EmOptions = {
  maxRounds: 25,
  tolerance: 1e-4,
  floor: probabilityFloor,
  activeFields: comparisonFields,
};

export type EmResult = {
  /** The starting model with m of the active fields and λ re-estimated; u unchanged. */
  model: MatchModel;
  rounds: number;
  converged: boolean;
  /** The largest change of any m or λ in the last round. */
  lastChange: number;
};

/**
 * Expectation maximisation of m and λ with u held fixed (u comes from random pairs, which EM
 * over blocked pairs would estimate badly). λ here is the share of matches among these pairs.
 */
export function estimateMWithEm(
  vectors: Iterable<ComparisonVector>,
  start: MatchModel,
  options: Partial<EmOptions> = {},
): EmResult {
  const { maxRounds, tolerance, floor, activeFields } = { ...defaultEmOptions, ...options };
  const patterns = countVectors(vectors);
  const active = comparisonFields
    .map((field, fieldIndex) => ({ field, fieldIndex }))
    .filter(({ field }) => activeFields.includes(field));
  let model = start;
  let rounds = 0;
  let lastChange = Number.POSITIVE_INFINITY;
  while (rounds < maxRounds && lastChange >= tolerance) {
    const next = emRound(patterns, model, active, floor);
    lastChange = largestChange(model, next, active);
    model = next;
    rounds += 1;
  }
  return { model, rounds, converged: lastChange < tolerance, lastChange };
}

type ActiveField = { field: ComparisonField; fieldIndex: number };

function emRound(
  patterns: VectorCount[],
  model: MatchModel,
  active: ActiveField[],
  floor: number,
): MatchModel {
  const expectedLevels = active.map(({ field }) => model.fields[field].m.map(() => 0));
  let expectedMatches = 0;
  let pairCount = 0;
  for (const { vector, count } of patterns) {
    const posterior = matchPosterior(vector, model, active);
    expectedMatches += posterior * count;
    pairCount += count;
    active.forEach(({ fieldIndex }, activeIndex) => {
      const level = vector[fieldIndex] ?? -1;
      const expected = expectedLevels[activeIndex];
      if (level >= 0 && expected) expected[level] = (expected[level] ?? 0) + posterior * count;
    });
  }
  const fields = { ...model.fields };
  active.forEach(({ field }, activeIndex) => {
    const previous = fields[field];
    const groups = levelGroupsOf(field);
    // A group of levels never seen among likely matches keeps its m rather than dividing by zero.
    const m = normalisedWithinGroups(expectedLevels[activeIndex] ?? [], groups, previous.m);
    fields[field] = { ...previous, m: floored(m, groups, floor) };
  });
  const prior = pairCount === 0 ? model.priorMatchProbability : expectedMatches / pairCount;
  return { priorMatchProbability: Math.min(Math.max(prior, floor), 1 - floor), fields };
}

/** P(match | levels of the active fields), computed in log space so many fields cannot underflow. */
export function matchPosterior(
  vector: ComparisonVector,
  model: MatchModel,
  active: readonly ActiveField[],
): number {
  let logMatch = Math.log(model.priorMatchProbability);
  let logNonMatch = Math.log(1 - model.priorMatchProbability);
  for (const { field, fieldIndex } of active) {
    const level = vector[fieldIndex] ?? -1;
    if (level < 0) continue;
    const probabilities = model.fields[field];
    logMatch += Math.log(probabilities.m[level] ?? 1);
    logNonMatch += Math.log(probabilities.u[level] ?? 1);
  }
  return 1 / (1 + Math.exp(logNonMatch - logMatch));
}

function largestChange(before: MatchModel, after: MatchModel, active: ActiveField[]): number {
  let change = Math.abs(before.priorMatchProbability - after.priorMatchProbability);
  for (const { field } of active) {
    const previous = before.fields[field].m;
    after.fields[field].m.forEach((m, level) => {
      change = Math.max(change, Math.abs(m - (previous[level] ?? 0)));
    });
  }
  return change;
}
