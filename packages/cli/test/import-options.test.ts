import { describe, expect, it } from "vitest";
import { parseImportOptions } from "../src/commands/import-options.js";
import { UsageError } from "../src/index.js";

const args = ["customers", "customers.csv", "--write-key", "k"];
const at = (env: Record<string, string>) => ({ env, cwd: "/data" });

describe("rapport import reads phones in a region", () => {
  it("given by --phone-region, else DEFAULT_PHONE_REGION as the services read it, else KR", () => {
    const regionOf = (extra: string[], env: Record<string, string>) =>
      parseImportOptions([...args, ...extra], at(env)).settings.identifierRules.defaultPhoneRegion;
    expect(regionOf(["--phone-region", "us"], { DEFAULT_PHONE_REGION: "DE" })).toBe("US");
    expect(regionOf([], { DEFAULT_PHONE_REGION: "DE" })).toBe("DE");
    expect(regionOf([], {})).toBe("KR");
  });

  it("refuses a region libphonenumber does not know, saying where it came from", () => {
    expect(() => parseImportOptions([...args, "--phone-region", "XX"], at({}))).toThrow(
      new UsageError('--phone-region "XX" is not a region libphonenumber knows, e.g. KR or US'),
    );
    expect(() => parseImportOptions(args, at({ DEFAULT_PHONE_REGION: "Korea" }))).toThrow(
      /^DEFAULT_PHONE_REGION "Korea" is not a region/,
    );
  });
});
