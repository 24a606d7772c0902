import { describe, expect, it } from "vitest";
import type { PersonRecord } from "../../src/domain/matching/person-record.js";
import { estimateUFromRandomPairs } from "../../src/domain/matching/u-estimation.js";

// 100 people, ten per first name, every birth date different.
const givenNames = [
  "Minjun",
  "Seoyeon",
  "Jiho",
  "Hana",
  "Doyun",
  "Yuna",
  "Sora",
  "Jimin",
  "Eunji",
  "Taeyang",
];
const records: PersonRecord[] = Array.from({ length: 100 }, (_, index) => ({
  recordId: `r${index}`,
  firstName: givenNames[index % 10] ?? "",
  birthDate: `19${String(10 + Math.floor(index / 12)).padStart(2, "0")}-0${1 + (index % 9)}-1${index % 10}`,
}));

describe("u from random pairs", () => {
  const estimate = estimateUFromRandomPairs(records, { sampleSize: 20_000, seed: 3 });

  it("is how often a level occurs between random records: 9 of the other 99 share a first name", () => {
    expect(estimate.u.firstName[0]).toBeCloseTo(9 / 99, 2);
    expect(estimate.pairsSampled).toBe(20_000);
  });

  it("is the same for the same seed", () => {
    expect(estimateUFromRandomPairs(records, { sampleSize: 20_000, seed: 3 })).toEqual(estimate);
  });

  it("falls back to uniform for a field no pair has, rather than dividing by zero", () => {
    expect(estimate.u.email).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});
