import { describe, expect, it } from "vitest";
import {
  decideMatch,
  defaultMatchThresholds,
  isInConflict,
  withRejectedPair,
} from "../../src/domain/matching/match-policy.js";
import { birthDatesAgreeModel } from "../match-model-fixture.js";

const scored = (matchProbability: number) => ({ leftId: "r1", rightId: "r2", matchProbability });

describe("the match policy", () => {
  it.each([
    [0.999, "merge"],
    [0.9, "merge"],
    [0.89, "review"],
    [0.8, "review"],
    [0.79, "no_match"],
  ])("at the default thresholds, probability %s → %s", (probability, decision) => {
    expect(decideMatch(scored(probability), defaultMatchThresholds)).toBe(decision);
  });

  it("takes its thresholds as configuration", () => {
    expect(decideMatch(scored(0.95), { autoMerge: 0.97, review: 0.5 })).toBe("review");
  });

  it("refuses a review threshold above the auto-merge one", () => {
    expect(() => decideMatch(scored(0.95), { autoMerge: 0.8, review: 0.9 })).toThrow(RangeError);
  });

  it("never proposes or merges again a pair a person rejected, whichever way round it comes", () => {
    const rejected = withRejectedPair(new Set(), "r2", "r1");
    expect(decideMatch(scored(0.85), defaultMatchThresholds, rejected)).toBe("no_match");
    expect(decideMatch(scored(0.9999), defaultMatchThresholds, rejected)).toBe("no_match");
    expect(
      decideMatch({ leftId: "r1", rightId: "r3", matchProbability: 0.85 }, defaultMatchThresholds, rejected),
    ).toBe("review");
  });
});

describe("conflicting groups", () => {
  const home = { lastName: "Jung", postalCode: "15441", addressLine: "189 Mapo-daero, Apt 108-2004" };
  const mother = { recordId: "r-mother", ...home, firstName: "Okja", birthDate: "1962-04-11" };
  const son = { recordId: "r-son", ...home, firstName: "Minji", birthDate: "1991-09-30" };
  const nameless = { recordId: "r-nameless", ...home };

  it("are two groups with a pair whose fields weigh against it: other first name, birth dates decades apart", () => {
    expect(isInConflict(birthDatesAgreeModel, [mother], [son])).toBe(true);
    expect(isInConflict(birthDatesAgreeModel, [nameless, mother], [son])).toBe(true);
  });

  it("are not groups whose records agree, or say too little to disagree", () => {
    expect(isInConflict(birthDatesAgreeModel, [nameless], [son])).toBe(false);
    expect(isInConflict(birthDatesAgreeModel, [nameless], [mother])).toBe(false);
    const sameMother = { ...mother, recordId: "r-mother-2", birthDate: "1962-04-14" };
    expect(isInConflict(birthDatesAgreeModel, [mother, nameless], [sameMother])).toBe(false);
  });
});
