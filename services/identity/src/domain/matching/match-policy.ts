import type { MatchScore } from "./fellegi-sunter.js";
import { pairKey } from "./person-record.js";

/** Match probabilities at which a pair is merged at once, or put before a person. */
export type MatchThresholds = { autoMerge: number; review: number };

/**
 * 0.97 rather than 0.99: on the labelled synthetic mix (docs/benchmarks.md, "Identity resolution
 * quality") pairs between 0.97 and 0.99 are almost all true (precision stays ≥ 0.98 on three
 * populations) while 0.99 leaves about 4 % of the true pairs to review.
 */
export const defaultMatchThresholds: MatchThresholds = { autoMerge: 0.97, review: 0.8 };

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
