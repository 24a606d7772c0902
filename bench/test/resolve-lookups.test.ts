import type { Identifier } from "@rapport/events";
import { IdentifierType } from "@rapport/proto";
import { describe, expect, it } from "vitest";
import { resolveRequestOf } from "../identity-throughput/resolve-load.js";
import { resolveLookups } from "../identity-throughput/resolve-lookups.js";

const known: Identifier[] = Array.from({ length: 50 }, (_, i) => ({
  type: "email",
  value: `p${i}@example.com`,
}));
const journeys = { seed: 3, runTag: "t", shoppers: 50, visitors: 50 };
const lookups = resolveLookups({ known, journeys, count: 5_000, unknownShare: 0.1, seed: 1 });

describe("the identifiers Resolve callers look up", () => {
  it("are the same for the same seed and differ for another", () => {
    expect(resolveLookups({ known, journeys, count: 5_000, unknownShare: 0.1, seed: 1 })).toEqual(lookups);
    expect(resolveLookups({ known, journeys, count: 5_000, unknownShare: 0.1, seed: 2 })).not.toEqual(
      lookups,
    );
  });

  it("are known identifiers nine times in ten and otherwise identifiers nobody sent", () => {
    const unknown = lookups.filter(({ isKnown }) => !isKnown);
    expect(unknown.length / lookups.length).toBeCloseTo(0.1, 1);
    const knownKeys = new Set(known.map(({ type, value }) => `${type}:${value}`));
    for (const { identifier, isKnown } of lookups) {
      expect(knownKeys.has(`${identifier.type}:${identifier.value}`)).toBe(isKnown);
    }
    expect(
      new Set(lookups.filter(({ isKnown }) => isKnown).map(({ identifier }) => identifier.value)).size,
    ).toBe(50);
  });

  it("go to Resolve as one identifier of the proto's type", () => {
    expect(resolveRequestOf({ type: "phone", value: "+821012345678" })).toEqual({
      identifiers: [{ type: IdentifierType.IDENTIFIER_TYPE_PHONE, value: "+821012345678" }],
    });
    expect(resolveRequestOf({ type: "cookie_id", value: "v-1" }).identifiers[0]?.type).toBe(
      IdentifierType.IDENTIFIER_TYPE_COOKIE_ID,
    );
  });
});
