import { describe, expect, it } from "vitest";
import {
  decideMatch,
  defaultMatchThresholds,
  withRejectedPair,
} from "../../src/domain/matching/match-policy.js";

const scored = (matchProbability: number) => ({ leftId: "r1", rightId: "r2", matchProbability });

describe("the match policy", () => {
  it.each([
    [0.999, "merge"],
    [0.97, "merge"],
    [0.96, "review"],
    [0.8, "review"],
    [0.79, "no_match"],
  ])("at the default thresholds, probability %s → %s", (probability, decision) => {
    expect(decideMatch(scored(probability), defaultMatchThresholds)).toBe(decision);
  });

  it("takes its thresholds as configuration", () => {
    expect(decideMatch(scored(0.95), { autoMerge: 0.9, review: 0.5 })).toBe("merge");
  });

  it("refuses a review threshold above the auto-merge one", () => {
    expect(() => decideMatch(scored(0.95), { autoMerge: 0.8, review: 0.9 })).toThrow(RangeError);
  });

  it("never proposes or merges again a pair a person rejected, whichever way round it comes", () => {
    const rejected = withRejectedPair(new Set(), "r2", "r1");
    expect(decideMatch(scored(0.95), defaultMatchThresholds, rejected)).toBe("no_match");
    expect(decideMatch(scored(0.9999), defaultMatchThresholds, rejected)).toBe("no_match");
    expect(
      decideMatch({ leftId: "r1", rightId: "r3", matchProbability: 0.95 }, defaultMatchThresholds, rejected),
    ).toBe("review");
  });
});
