import { describe, expect, it } from "vitest";
import { compareRecords } from "../../src/domain/matching/comparison.js";
import type { ComparisonField } from "../../src/domain/matching/comparison-levels.js";
import { matchProbability, scoreComparison } from "../../src/domain/matching/fellegi-sunter.js";
import { floored, type MatchModel, modelWith } from "../../src/domain/matching/match-model.js";

// Round numbers so the weights can be checked by hand: log2(m/u).
const m: Record<ComparisonField, number[]> = {
  firstName: [0.8, 0.05, 0.05, 0.025, 0.025, 0.05],
  lastName: [0.8, 0.1, 0.025, 0.025, 0.05],
  birthDate: [0.8, 0.1, 0.025, 0.025, 0.05],
  address: [0.5, 0.2, 0.1, 0.2],
  email: [0.5, 0.1, 0.1, 0.3],
  phone: [0.5, 0.25, 0.25, 0.5, 0.25, 0.25],
};
const u: Record<ComparisonField, number[]> = {
  firstName: [0.0125, 0.0005, 0.0045, 0.0025, 0.03, 0.95],
  lastName: [0.05, 0.005, 0.0025, 0.0425, 0.9],
  birthDate: [0.0002, 0.0018, 0.003, 0.03, 0.965],
  address: [0.0005, 0.0005, 0.001, 0.998],
  email: [0.0001, 0.0001, 0.0008, 0.999],
  phone: [0.0005, 0.0005, 0.999, 0.125, 0.125, 0.75],
};
const model: MatchModel = modelWith(u, 0.0001, m);

const ann = {
  recordId: "r1",
  firstName: "Minjun",
  lastName: "Kim",
  birthDate: "1985-03-12",
  email: "sunny77@naver.com",
};

describe("match weights", () => {
  it("adds log2(m/u) of each field present on both sides; a missing field adds 0", () => {
    const score = scoreComparison(model, compareRecords(ann, { ...ann, recordId: "r2", email: undefined }));
    const weights = Object.fromEntries(score.evidence.map((field) => [field.field, field.weight]));
    expect(weights.firstName).toBeCloseTo(6, 10); // log2(0.8 / 0.0125) = log2(64)
    expect(weights.lastName).toBeCloseTo(4, 10); // log2(0.8 / 0.05) = log2(16)
    expect(weights.birthDate).toBeCloseTo(Math.log2(4000), 10); // 0.8 / 0.0002
    expect(weights.email).toBe(0);
    expect(weights.address).toBe(0);
    expect(score.matchWeight).toBeCloseTo(10 + Math.log2(4000), 10);
  });

  it("counts disagreement against a match", () => {
    const score = scoreComparison(
      model,
      compareRecords(ann, { ...ann, recordId: "r2", firstName: "Seoyeon" }),
    );
    const firstName = score.evidence.find((field) => field.field === "firstName");
    expect(firstName).toMatchObject({ level: "different", left: "Minjun", right: "Seoyeon" });
    expect(firstName?.m).toBeCloseTo(0.05, 12);
    expect(firstName?.u).toBeCloseTo(0.95, 12);
    expect(firstName?.weight).toBeCloseTo(Math.log2(0.05 / 0.95), 10);
  });
});

describe("match probability", () => {
  it("is 2^(w + log2(λ/(1−λ))) / (1 + 2^(…))", () => {
    // λ = 1/1025: prior odds 1/1024, i.e. a prior weight of −10.
    expect(matchProbability(10, 1 / 1025)).toBeCloseTo(0.5, 12);
    expect(matchProbability(13, 1 / 1025)).toBeCloseTo(8 / 9, 12);
    expect(matchProbability(0, 0.2)).toBeCloseTo(0.2, 12);
  });

  it("stays finite for overwhelming evidence either way", () => {
    expect(matchProbability(5000, 0.001)).toBe(1);
    expect(matchProbability(-5000, 0.001)).toBe(0);
  });

  it("is reported with the prior weight and the evidence behind it", () => {
    const score = scoreComparison(model, compareRecords(ann, { ...ann, recordId: "r2" }));
    expect(score.priorWeight).toBeCloseTo(Math.log2(0.0001 / 0.9999), 10);
    expect(score.matchProbability).toBeCloseTo(matchProbability(score.matchWeight, 0.0001), 12);
    expect(score.evidence.map((field) => field.field)).toEqual([
      "firstName",
      "lastName",
      "birthDate",
      "address",
      "email",
      "phone",
    ]);
  });
});

describe("probability floors", () => {
  it("never let a level be impossible, and keep each group summing to one", () => {
    const probabilities = floored([0.7, 0.3, 0, 0, 1, 0], [0, 0, 0, 1, 1, 1], 1e-6);
    expect(Math.min(...probabilities)).toBeGreaterThan(0);
    expect(probabilities.slice(0, 3).reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 12);
    expect(probabilities.slice(3).reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 12);
  });
});
