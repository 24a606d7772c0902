import { describe, expect, it } from "vitest";
import { findCandidatePairs } from "../../src/domain/matching/blocking.js";
import { defaultBlockingRules } from "../../src/domain/matching/blocking-rules.js";
import { defaultTrainingOptions, trainMatchModel } from "../../src/domain/matching/match-training.js";
import type { PersonRecord } from "../../src/domain/matching/person-record.js";

// Twenty people, each signed up twice (the second time with a new email), plus a namesake of each.
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
const records: PersonRecord[] = Array.from({ length: 20 }, (_, person) => {
  const firstName = givenNames[person % 10] ?? "";
  const lastName = person < 10 ? "Kim" : "Noh";
  const birthDate = `19${60 + person}-0${1 + (person % 9)}-1${person % 10}`;
  const postalCode = String(10_000 + person * 37);
  return [
    {
      recordId: `p${person}a`,
      firstName,
      lastName,
      birthDate,
      postalCode,
      email: `sunny${person}@naver.com`,
    },
    {
      recordId: `p${person}b`,
      firstName,
      lastName,
      birthDate,
      postalCode,
      email: `tiger${person}@gmail.com`,
    },
    // A namesake born elsewhere and elsewhen.
    { recordId: `n${person}`, firstName, lastName, birthDate: `19${99 - person}-12-01`, postalCode: "99999" },
  ];
}).flat();

describe("training a model from unlabelled records", () => {
  const candidates = findCandidatePairs(records, defaultBlockingRules).pairs;
  const trained = trainMatchModel(records, candidates, { ...defaultTrainingOptions, uSampleSize: 5_000 });

  it("runs one EM session per training rule, never estimating the m of the rule's own fields", () => {
    expect(trained.sessions.map((session) => [session.rule, session.estimatedFields])).toEqual([
      ["same_full_name", ["birthDate", "address", "phone"]],
      ["same_birth_date", ["firstName", "lastName", "address", "email", "phone"]],
    ]);
  });

  it("learns that a match agrees on the birth date and a namesake does not", () => {
    const [exact] = trained.model.fields.birthDate.m;
    expect(exact).toBeGreaterThan(0.9);
    expect(trained.model.fields.birthDate.u[0]).toBeLessThan(0.05);
  });

  it("estimates λ over all n(n−1)/2 pairs: 20 true pairs among 1,770", () => {
    expect(trained.model.priorMatchProbability).toBeGreaterThan(0.5 * (20 / 1_770));
    expect(trained.model.priorMatchProbability).toBeLessThan(2 * (20 / 1_770));
  });
});
