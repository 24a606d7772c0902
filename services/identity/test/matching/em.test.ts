import { type RandomSource, seededRandom } from "@rapport/sampling";
import { describe, expect, it } from "vitest";
import { type ComparisonField, comparisonFields } from "../../src/domain/matching/comparison-levels.js";
import type { ComparisonVector } from "../../src/domain/matching/comparison-vector.js";
import { estimateMWithEm } from "../../src/domain/matching/em.js";
import { modelWith, startingMProbabilities } from "../../src/domain/matching/match-model.js";

// A known truth to simulate from: λ, and m and u for every level of every field.
const trueLambda = 0.15;
const trueM: Record<ComparisonField, number[]> = {
  firstName: [0.75, 0.05, 0.1, 0.04, 0.03, 0.03],
  lastName: [0.85, 0.05, 0.03, 0.04, 0.03],
  birthDate: [0.85, 0.08, 0.02, 0.02, 0.03],
  address: [0.45, 0.15, 0.15, 0.25],
  email: [0.4, 0.1, 0.15, 0.35],
  phone: [0.55, 0.2, 0.25, 0.5, 0.2, 0.3],
};
const trueU: Record<ComparisonField, number[]> = {
  firstName: [0.02, 0.001, 0.004, 0.005, 0.06, 0.91],
  lastName: [0.06, 0.004, 0.003, 0.03, 0.903],
  birthDate: [0.001, 0.002, 0.003, 0.03, 0.964],
  address: [0.002, 0.002, 0.004, 0.992],
  email: [0.001, 0.001, 0.003, 0.995],
  phone: [0.001, 0.001, 0.998, 0.12, 0.02, 0.86],
};
const phoneGroupAtSharedAddress = 0.3;

function draw(random: RandomSource, probabilities: readonly number[]): number {
  let threshold = random();
  for (const [level, probability] of probabilities.entries()) {
    threshold -= probability;
    if (threshold < 0) return level;
  }
  return probabilities.length - 1;
}

/** Pairs drawn from the model itself: a match with probability λ, then each field's level. */
function simulatePairs(count: number, seed: number): ComparisonVector[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const probabilities = random() < trueLambda ? trueM : trueU;
    return comparisonFields.map((field) => {
      if (random() < 0.2) return -1; // a fifth of values missing
      const levels = probabilities[field];
      if (field !== "phone") return draw(random, levels);
      // The phone's two groups: which one applies is decided outside the phone (by the address).
      const group = random() < phoneGroupAtSharedAddress ? 1 : 0;
      return 3 * group + draw(random, levels.slice(3 * group, 3 * group + 3));
    });
  });
}

describe("EM with u held fixed", () => {
  const pairs = simulatePairs(40_000, 7);
  const start = modelWith(trueU, 0.5, startingMProbabilities);
  const result = estimateMWithEm(pairs, start);

  it("recovers every m within 0.03 of the truth, starting from the default guesses", () => {
    for (const field of comparisonFields) {
      result.model.fields[field].m.forEach((m, level) => {
        expect(Math.abs(m - (trueM[field][level] ?? Number.NaN)), `${field}[${level}]`).toBeLessThan(0.03);
      });
    }
  });

  it("recovers λ within 0.01", () => {
    expect(Math.abs(result.model.priorMatchProbability - trueLambda)).toBeLessThan(0.01);
  });

  it("stops on a change below 1e-4 well before 25 rounds, and leaves u as it was", () => {
    expect(result.converged).toBe(true);
    expect(result.lastChange).toBeLessThan(1e-4);
    expect(result.rounds).toBeLessThan(25);
    expect(result.model.fields.email.u).toEqual(start.fields.email.u);
  });

  it("gives up after the round limit", () => {
    const limited = estimateMWithEm(pairs, start, { maxRounds: 2 });
    expect(limited).toMatchObject({ rounds: 2, converged: false });
  });

  it("leaves the m of inactive fields (a blocking rule's own fields) untouched", () => {
    const session = estimateMWithEm(pairs, start, { activeFields: ["firstName", "email"] });
    expect(session.model.fields.birthDate.m).toEqual(start.fields.birthDate.m);
    expect(session.model.fields.firstName.m).not.toEqual(start.fields.firstName.m);
  });

  it("never estimates a probability of zero", () => {
    const onlyExact = Array.from({ length: 1_000 }, () => comparisonFields.map(() => 0));
    const fitted = estimateMWithEm(onlyExact, start);
    for (const field of comparisonFields) {
      expect(Math.min(...fitted.model.fields[field].m)).toBeGreaterThanOrEqual(1e-7);
    }
  });
});
