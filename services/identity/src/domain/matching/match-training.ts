import {
  type BlockingOptions,
  type BlockingRule,
  type CandidatePair,
  defaultBlockingOptions,
  findCandidatePairs,
} from "./blocking.js";
import { defaultTrainingRules } from "./blocking-rules.js";
import { compareRecords } from "./comparison.js";
import { type ComparisonField, comparisonFields } from "./comparison-levels.js";
import { type ComparisonVector, comparisonVector } from "./comparison-vector.js";
import { defaultEmOptions, type EmOptions, estimateMWithEm, matchPosterior } from "./em.js";
import { type MatchModel, modelWith, startingMProbabilities } from "./match-model.js";
import type { PersonRecord } from "./person-record.js";
import { estimateUFromRandomPairs } from "./u-estimation.js";

export type TrainingOptions = {
  uSampleSize: number;
  seed: number;
  /**
   * The blocks EM learns m from. They are not the candidate rules on purpose: pairs from
   * "postal code + surname" are mostly households, whose members share phone and address far more
   * often than random pairs (u) say, and EM then learns "same household" instead of "same person".
   * Among people with the same full name, or the same birth date, a non-match agrees on the other
   * fields about as often as a random pair does, which is what fixed u assumes.
   */
  trainingRules: readonly BlockingRule[];
  blocking: BlockingOptions;
  em: Omit<EmOptions, "activeFields">;
};

export const defaultTrainingOptions: TrainingOptions = {
  uSampleSize: 300_000,
  seed: 1,
  trainingRules: defaultTrainingRules,
  blocking: defaultBlockingOptions,
  em: {
    maxRounds: defaultEmOptions.maxRounds,
    tolerance: defaultEmOptions.tolerance,
    floor: defaultEmOptions.floor,
  },
};

/** One EM run over the pairs of one blocking rule. */
export type EmSession = {
  rule: string;
  pairCount: number;
  estimatedFields: ComparisonField[];
  rounds: number;
  converged: boolean;
  /** Share of matches among this rule's pairs, as EM estimated it. */
  matchShare: number;
};

export type TrainedMatchModel = {
  model: MatchModel;
  uPairsSampled: number;
  sessions: EmSession[];
  priorRounds: number;
};

/**
 * Estimates a model from unlabelled records the way Splink does: u from random pairs; then per
 * training rule, EM over that rule's pairs estimates m of the fields the rule does not block on
 * (each field's m is the mean over the sessions that estimated it); last, λ over all pairs, from
 * the candidate pairs the matcher will score.
 */
export function trainMatchModel(
  records: readonly PersonRecord[],
  candidatePairs: readonly CandidatePair[],
  options: TrainingOptions = defaultTrainingOptions,
): TrainedMatchModel {
  const { u, pairsSampled } = estimateUFromRandomPairs(records, {
    sampleSize: options.uSampleSize,
    seed: options.seed,
  });
  const vectorOf = (pair: CandidatePair) => comparisonVector(compareRecords(pair.left, pair.right));
  const vectors = candidatePairs.map(vectorOf);
  const trainingPairs = findCandidatePairs(records, options.trainingRules, options.blocking).pairs;
  const estimates = new Map<ComparisonField, number[][]>();
  const sessions: EmSession[] = [];
  for (const rule of options.trainingRules) {
    const ruleVectors = trainingPairs.filter((pair) => pair.rules.includes(rule.name)).map(vectorOf);
    const estimatedFields = comparisonFields.filter((field) => !rule.fields.includes(field));
    const result = estimateMWithEm(ruleVectors, modelWith(u, 0.3), {
      ...options.em,
      activeFields: estimatedFields,
    });
    for (const field of estimatedFields) {
      estimates.set(field, [...(estimates.get(field) ?? []), result.model.fields[field].m]);
    }
    sessions.push({
      rule: rule.name,
      pairCount: ruleVectors.length,
      estimatedFields,
      rounds: result.rounds,
      converged: result.converged,
      matchShare: result.model.priorMatchProbability,
    });
  }
  const m = Object.fromEntries(
    comparisonFields.map((field) => [field, meanOf(estimates.get(field)) ?? startingMProbabilities[field]]),
  ) as Record<ComparisonField, number[]>;
  const totalPairs = (records.length * (records.length - 1)) / 2;
  const { prior, rounds } = estimatePrior(vectors, modelWith(u, 1e-4, m), totalPairs, options.em);
  return { model: modelWith(u, prior, m), uPairsSampled: pairsSampled, sessions, priorRounds: rounds };
}

function meanOf(estimates: number[][] | undefined): number[] | undefined {
  const [first] = estimates ?? [];
  if (!estimates || !first) return undefined;
  return first.map((_, level) => estimates.reduce((sum, m) => sum + (m[level] ?? 0), 0) / estimates.length);
}

/**
 * λ over all n(n−1)/2 pairs: EM for λ alone, where every pair no rule proposed counts as a
 * non-match (blocking exists because those pairs are almost all different people). Converges
 * on a relative change, λ being tiny.
 */
function estimatePrior(
  vectors: readonly ComparisonVector[],
  model: MatchModel,
  totalPairs: number,
  options: Omit<EmOptions, "activeFields">,
): { prior: number; rounds: number } {
  const active = comparisonFields.map((field, fieldIndex) => ({ field, fieldIndex }));
  let prior = model.priorMatchProbability;
  for (let round = 1; round <= options.maxRounds; round += 1) {
    const current: MatchModel = { ...model, priorMatchProbability: prior };
    const expectedMatches = vectors.reduce((sum, vector) => sum + matchPosterior(vector, current, active), 0);
    const next = Math.min(
      Math.max(expectedMatches / Math.max(totalPairs, 1), options.floor),
      1 - options.floor,
    );
    const change = Math.abs(next - prior) / prior;
    prior = next;
    if (change < options.tolerance) return { prior, rounds: round };
  }
  return { prior, rounds: options.maxRounds };
}
