import { describe, expect, it } from "vitest";
import { normaliseIdentifier, normaliseIdentifiers } from "../src/index.js";

const rules = { defaultPhoneRegion: "KR" as const };

describe("normaliseIdentifier", () => {
  it("trims and lower-cases emails", () => {
    expect(normaliseIdentifier({ type: "email", value: "  Ji-Woo.Kim@Example.COM " }, rules)).toEqual({
      ok: true,
      identifier: { type: "email", value: "ji-woo.kim@example.com" },
    });
  });

  it.each([
    ["010-1234-5678", "+821012345678"],
    ["+82 10 1234 5678", "+821012345678"],
    ["(02) 312-3456", "+8223123456"],
    ["+1 (415) 555-2671", "+14155552671"],
  ])("writes phone %s in E.164 as %s", (given, expected) => {
    expect(normaliseIdentifier({ type: "phone", value: given }, rules)).toEqual({
      ok: true,
      identifier: { type: "phone", value: expected },
    });
  });

  it("reads national phone numbers in the configured default region", () => {
    expect(
      normaliseIdentifier({ type: "phone", value: "(415) 555-2671" }, { defaultPhoneRegion: "US" }),
    ).toMatchObject({
      identifier: { value: "+14155552671" },
    });
  });

  it("strips spaces and dashes from loyalty card numbers", () => {
    expect(normaliseIdentifier({ type: "loyalty_card", value: "lc 1234-5678" }, rules)).toMatchObject({
      identifier: { value: "LC12345678" },
    });
  });

  it.each([
    ["email", "not-an-email", /is not an email address/],
    ["phone", "12", /is not a valid phone number/],
    ["cookie_id", "   ", /is empty/],
  ] as const)("rejects %s %j as an invalid identifier", (type, value, detail) => {
    const result = normaliseIdentifier({ type, value }, rules);
    expect(result).toMatchObject({ ok: false, reason: "invalid_identifier" });
    expect(result.ok ? "" : result.detail).toMatch(detail);
  });
});

describe("normaliseIdentifiers", () => {
  it("drops identifiers that are equal once normalised", () => {
    const result = normaliseIdentifiers(
      [
        { type: "email", value: "Ann@Example.com" },
        { type: "phone", value: "010-1234-5678" },
        { type: "email", value: "ann@example.com " },
      ],
      rules,
    );
    expect(result).toEqual({
      ok: true,
      identifiers: [
        { type: "email", value: "ann@example.com" },
        { type: "phone", value: "+821012345678" },
      ],
    });
  });
});
