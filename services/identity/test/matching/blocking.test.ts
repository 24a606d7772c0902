import { describe, expect, it } from "vitest";
import { type BlockingRule, findCandidatePairs } from "../../src/domain/matching/blocking.js";
import {
  birthDateAndInitial,
  defaultBlockingRules,
  phoneticCode,
  postalCodeAndSurname,
} from "../../src/domain/matching/blocking-rules.js";
import type { PersonRecord } from "../../src/domain/matching/person-record.js";

const pairIds = (records: readonly PersonRecord[], rules: readonly BlockingRule[], maxBlockSize = 50) =>
  findCandidatePairs(records, rules, { maxBlockSize }).pairs.map(
    (pair) => `${pair.left.recordId}-${pair.right.recordId}`,
  );

describe("phonetic surnames", () => {
  it("puts spellings that sound alike together", () => {
    expect(phoneticCode("Smith")).toBe(phoneticCode("Smyth"));
    expect(phoneticCode("Choi")).toBe(phoneticCode("Choy"));
    expect(phoneticCode("Park")).not.toBe(phoneticCode("Kim"));
  });

  it("uses a Hangul surname as written, which is how it sounds", () => {
    expect(phoneticCode("김")).toBe("김");
    expect(phoneticCode(" 박 ")).toBe("박");
  });
});

describe("candidate pairs", () => {
  const records: PersonRecord[] = [
    { recordId: "a", firstName: "Minjun", lastName: "Choi", postalCode: "06236", birthDate: "1985-03-12" },
    { recordId: "b", firstName: "Seoyeon", lastName: "Choy", postalCode: "06236" }, // sounds like Choi
    { recordId: "c", firstName: "Mina", lastName: "Park", postalCode: "06236", birthDate: "1985-03-12" },
    { recordId: "d", firstName: "Choi", lastName: "Minjun", postalCode: "06236" }, // names swapped
    { recordId: "e", firstName: "Minjun", lastName: "Choi", postalCode: "04100" }, // another postal code
  ];

  it("postal code + phonetic surname pairs records at one postal code whose surnames sound alike", () => {
    expect(pairIds(records, [postalCodeAndSurname])).toEqual(["a-b", "a-d", "b-d"]);
  });

  it("birth date + first-name initial pairs records born the same day with the same initial", () => {
    expect(pairIds(records, [birthDateAndInitial])).toEqual(["a-c"]);
  });

  it("proposes a pair found by several rules once, naming every rule", () => {
    const twoWays: PersonRecord[] = [
      { recordId: "a", firstName: "Minjun", lastName: "Kim", postalCode: "06236", birthDate: "1985-03-12" },
      { recordId: "b", firstName: "Minjun", lastName: "Kim", postalCode: "06236", birthDate: "1985-03-12" },
    ];
    const result = findCandidatePairs(twoWays, defaultBlockingRules, { maxBlockSize: 50 });
    expect(result.pairs).toHaveLength(1);
    expect(result.pairs[0]?.rules).toEqual([
      "postal_code+phonetic_surname",
      "birth_date+first_initial",
      "same_full_name",
    ]);
    expect(result.pairCountsByRule).toMatchObject({
      "postal_code+phonetic_surname": 1,
      "birth_date+first_initial": 1,
      same_full_name: 1,
    });
  });

  it("proposes records with one full name, in either order, when every other key differs", () => {
    const moved: PersonRecord[] = [
      { recordId: "a", firstName: "Minjun", lastName: "Kim", postalCode: "06236", birthDate: "1985-03-12" },
      { recordId: "b", firstName: "KIM", lastName: "Min-jun", postalCode: "04100", birthDate: "1985-03-21" },
      { recordId: "c", firstName: "Minjun", lastName: "Kang", postalCode: "07000", birthDate: "1990-01-01" },
    ];
    const result = findCandidatePairs(moved, defaultBlockingRules, { maxBlockSize: 50 });
    expect(result.pairs.map((pair) => [pair.left.recordId, pair.right.recordId, pair.rules])).toEqual([
      ["a", "b", ["same_full_name"]],
    ]);
  });

  it("skips a block above the cap and says so, instead of comparing all its pairs", () => {
    const placeholderBirthDate = Array.from({ length: 30 }, (_, index) => ({
      recordId: `p${index}`,
      firstName: "Minjun",
      birthDate: "1900-01-01",
    }));
    const result = findCandidatePairs([...placeholderBirthDate, ...records], [birthDateAndInitial], {
      maxBlockSize: 20,
    });
    expect(result.skippedBlocks).toEqual([
      { rule: "birth_date+first_initial", key: "1900-01-01|m", size: 30 },
    ]);
    expect(result.pairs.map((pair) => `${pair.left.recordId}-${pair.right.recordId}`)).toEqual(["a-c"]);
  });

  it("gives a record without the rule's fields no key, so it is never paired by that rule", () => {
    expect(pairIds([{ recordId: "x" }, { recordId: "y" }], defaultBlockingRules)).toEqual([]);
  });
});
