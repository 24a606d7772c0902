import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareField, compareRecords } from "../../src/domain/matching/comparison.js";
import type { ComparisonField } from "../../src/domain/matching/comparison-levels.js";
import type { PersonRecord } from "../../src/domain/matching/person-record.js";

const minjun: PersonRecord = {
  recordId: "a",
  firstName: "Minjun",
  lastName: "Kim",
  birthDate: "1985-03-12",
  postalCode: "06236",
  addressLine: "152 Teheran-ro, Apt 101-1203",
  city: "Seoul",
  email: "minjun.kim@naver.com",
  phone: "+821012345678",
};

const levelOf = (field: ComparisonField, change: Partial<PersonRecord>, base: PersonRecord = minjun) =>
  compareField(field, base, { ...base, recordId: "b", ...change }).level;

describe("names", () => {
  it.each([
    ["exact, whatever the case, accents, spaces or hyphens", "MIN-JUN", "exact"],
    ["Jaro-Winkler ≥ 0.92: one letter doubled", "Minjjun", "jaro_winkler_0.92"],
    ["Jaro-Winkler ≥ 0.88: two letters transposed and one dropped", "Mnijn", "jaro_winkler_0.88"],
    ["Jaro-Winkler ≥ 0.70: a related name", "Minho", "jaro_winkler_0.70"],
    ["different", "Seoyeon", "different"],
  ])("%s: Minjun vs %s", (_, firstName, level) => {
    expect(levelOf("firstName", { firstName })).toBe(level);
  });

  it("swapped: Kim Minjun entered as first name Kim, surname Minjun, weighed once (in firstName)", () => {
    const swapped = { firstName: "Kim", lastName: "Minjun" };
    expect(levelOf("firstName", swapped)).toBe("swapped");
    expect(levelOf("lastName", swapped)).toBe("swapped_counted_in_first_name");
    const lastName = compareRecords(minjun, { ...minjun, recordId: "b", ...swapped }).fields[1];
    expect(lastName?.levelIndex).toBeUndefined(); // neutral, like a missing value
  });

  it("a name missing on either side is missing, not a disagreement", () => {
    expect(levelOf("firstName", { firstName: undefined })).toBe("missing");
    expect(levelOf("lastName", { lastName: "" })).toBe("missing");
  });

  it("keeps Hangul: 김 vs 김 is exact, 김 vs 이 different", () => {
    const hangul = { ...minjun, lastName: "김" };
    expect(levelOf("lastName", { lastName: "김" }, hangul)).toBe("exact");
    expect(levelOf("lastName", { lastName: "이" }, hangul)).toBe("different");
  });
});

describe("birth dates", () => {
  it.each([
    ["1985-03-12", "exact"],
    ["1985-03-21", "one_edit"], // day digits transposed
    ["1985-08-12", "one_edit"], // one digit wrong
    ["1985-03-30", "within_month"],
    ["1985-11-02", "within_year"],
    ["1991-07-04", "different"],
    [undefined, "missing"],
  ])("1985-03-12 vs %s: %s", (birthDate, level) => {
    expect(levelOf("birthDate", { birthDate })).toBe(level);
  });
});

describe("addresses", () => {
  it.each([
    [
      "same postal code and street line (abbreviations aside)",
      { addressLine: "152 teheran-ro apartment 101-1203" },
      "exact",
    ],
    [
      "same postal code, similar street line",
      { addressLine: "152 Teheran-ro 101dong 1203ho" },
      "postal_code_similar_street",
    ],
    ["same postal code, another street", { addressLine: "7 Yeoksam-ro" }, "postal_code_only"],
    ["same postal code, street line missing", { addressLine: undefined }, "postal_code_only"],
    ["another postal code", { postalCode: "04100" }, "different"],
    ["no postal code", { postalCode: undefined }, "missing"],
  ] as const)("%s", (_, change, level) => {
    expect(levelOf("address", change)).toBe(level);
  });
});

describe("emails", () => {
  const handle = { ...minjun, email: "sunny77@naver.com" };
  it.each([
    ["SUNNY77@naver.com", "exact"],
    ["sunny77@gmail.com", "same_local_part"],
    ["sunny777@naver.com", "same_domain_similar_local_part"],
    ["tiger12@naver.com", "different"],
    [undefined, "missing"],
  ])("sunny77@naver.com vs %s: %s", (email, level) => {
    expect(levelOf("email", { email }, handle)).toBe(level);
  });

  it("a shared handle made of the names is neutral: the name fields already count it", () => {
    expect(levelOf("email", { email: "minjun.kim@gmail.com" })).toBe("same_name_based_local_part");
  });
});

describe("phones", () => {
  const elsewhere = { postalCode: "04100" };
  it.each([
    ["+821012345678", "exact"],
    ["010-1234-5678", "last_8_digits"],
    ["+821099998888", "different"],
    [undefined, "missing"],
  ])("+821012345678 vs %s at another address: %s", (phone, level) => {
    expect(levelOf("phone", { ...elsewhere, phone })).toBe(level);
  });

  it("at the same postal code the levels say so: a family phone is expected there", () => {
    expect(levelOf("phone", {})).toBe("exact_at_shared_address");
    expect(levelOf("phone", { phone: "010-1234-5678" })).toBe("last_8_digits_at_shared_address");
    expect(levelOf("phone", { phone: "+821099998888" })).toBe("different_at_shared_address");
  });
});

describe("a record comparison", () => {
  it("keeps both values of every field so a person can see what was compared", () => {
    const other = { ...minjun, recordId: "b", birthDate: undefined, email: "mj@daum.net" };
    const comparison = compareRecords(minjun, other);
    expect(comparison.fields.find((field) => field.field === "email")).toEqual({
      field: "email",
      level: "different",
      levelIndex: 3,
      left: "minjun.kim@naver.com",
      right: "mj@daum.net",
    });
    expect(comparison.fields.find((field) => field.field === "birthDate")?.levelIndex).toBeUndefined();
  });

  const personRecord = fc.record(
    {
      recordId: fc.string(),
      firstName: fc.constantFrom("Minjun", "Minjjun", "Kim", "Seoyeon", "MIN-JUN", ""),
      lastName: fc.constantFrom("Kim", "Gim", "Minjun", "Lee", "Yi"),
      birthDate: fc.constantFrom("1985-03-12", "1985-03-21", "1985-04-01", "1986-01-01", "2001-12-31"),
      postalCode: fc.constantFrom("06236", "04100"),
      addressLine: fc.constantFrom("152 Teheran-ro, Apt 101-1203", "152 Teheran-ro 101-1203", "7 Yeoksam-ro"),
      email: fc.constantFrom(
        "minjun.kim@naver.com",
        "minjun.kim@gmail.com",
        "sunny77@naver.com",
        "sunny7@naver.com",
      ),
      phone: fc.constantFrom("+821012345678", "010-1234-5678", "+821099998888"),
    },
    { requiredKeys: ["recordId"] },
  );

  it("is symmetric: compare(a, b) and compare(b, a) give the same levels", () => {
    fc.assert(
      fc.property(personRecord, personRecord, (a, b) => {
        const levels = (x: PersonRecord, y: PersonRecord) =>
          compareRecords(x, y).fields.map((field) => field.level);
        expect(levels(a, b)).toEqual(levels(b, a));
      }),
    );
  });

  it("never finds a record disagreeing with itself", () => {
    // postal_code_only: a postal code without a street line is all there is to agree on.
    const agreeing = ["exact", "missing", "exact_at_shared_address", "postal_code_only"];
    fc.assert(
      fc.property(personRecord, (a) => {
        for (const field of compareRecords(a, a).fields) expect(agreeing).toContain(field.level);
      }),
    );
  });
});
