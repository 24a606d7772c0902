import { compareRecords } from "./comparison.js";
import { type MatchScore, scoreComparison } from "./fellegi-sunter.js";
import type { MatchModel } from "./match-model.js";
import { type PersonRecord, pairKey } from "./person-record.js";

/** Match probabilities at which a pair is merged at once, or put before a person. */
export type MatchThresholds = { autoMerge: number; review: number };

/**
 * 0.9: with merges that would join a conflicting pair refused (isInConflict), pairs between 0.9
 * and 0.97 are almost all true on the labelled synthetic mix (docs/benchmarks.md, "Identity
 * resolution quality": precision ≥ 0.98 on three populations), and 0.97 leaves about 3 % of the
 * true pairs to review. Without that check the false merges of household members kept it at 0.97.
 */
export const defaultMatchThresholds: MatchThresholds = { autoMerge: 0.9, review: 0.8 };

/**
 * Fields that weigh this much against a pair (log2 of m/u summed, before the prior: 4 to 1 that
 * they are two people) make it a conflict.
 */
export const conflictingMatchWeight = -2;

/**
 * Whether joining two groups of records (customers, or the records already linked to each side)
 * would put two people in one: some record of one and some record of the other are a conflict
 * (conflictingMatchWeight). A mother and her son who share a surname, an address and the family
 * phone can score above the auto-merge threshold on a record that lacks the first name, while her
 * other records and his disagree on first name and birth date; pairwise merges, closed
 * transitively, would make them one person. The pairs compared are small groups (one person's
 * records), so every pair is scored.
 */
export function isInConflict(
  model: MatchModel,
  left: readonly PersonRecord[],
  right: readonly PersonRecord[],
): boolean {
  return left.some((a) =>
    right.some((b) => scoreComparison(model, compareRecords(a, b)).matchWeight <= conflictingMatchWeight),
  );
}

export type MatchDecision = "merge" | "review" | "no_match";

/** Pairs a reviewer rejected, by pairKey: never proposed (or merged) again, whatever the score. */
export type RejectedPairs = ReadonlySet<string>;

export function withRejectedPair(
  rejected: RejectedPairs,
  recordIdA: string,
  recordIdB: string,
): RejectedPairs {
  return new Set([...rejected, pairKey(recordIdA, recordIdB)]);
}

export function isRejected(rejected: RejectedPairs, recordIdA: string, recordIdB: string): boolean {
  return rejected.has(pairKey(recordIdA, recordIdB));
}

export function decideMatch(
  score: Pick<MatchScore, "leftId" | "rightId" | "matchProbability">,
  thresholds: MatchThresholds = defaultMatchThresholds,
  rejected: RejectedPairs = new Set(),
): MatchDecision {
  if (thresholds.review > thresholds.autoMerge) {
    throw new RangeError(`review threshold ${thresholds.review} is above auto-merge ${thresholds.autoMerge}`);
  }
  // A person's "no" outranks any later score: the model would otherwise propose it again.
  if (isRejected(rejected, score.leftId, score.rightId)) return "no_match";
  if (score.matchProbability >= thresholds.autoMerge) return "merge";
  if (score.matchProbability >= thresholds.review) return "review";
  return "no_match";
}
