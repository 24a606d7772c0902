import { describe, expect, it } from "vitest";
import { parseDemoOptions } from "../src/demo-options.js";

describe("npm run demo's options", () => {
  it("defaults to 5,000 customers over 18 months with seed 1", () => {
    expect(parseDemoOptions([])).toEqual({ customers: 5_000, months: 18, seed: 1, timeoutMinutes: 60 });
  });

  it("takes the company's size, span and seed", () => {
    expect(parseDemoOptions(["--customers", "60", "--months=3", "--seed", "9"])).toMatchObject({
      customers: 60,
      months: 3,
      seed: 9,
    });
    expect(parseDemoOptions(["--help"])).toBe("help");
  });

  it("says which option is wrong and what it takes", () => {
    expect(() => parseDemoOptions(["--customers", "many"])).toThrow(
      '--customers must be a whole number from 1 to 1000000, got "many"',
    );
    expect(() => parseDemoOptions(["--months", "0"])).toThrow(/--months must be a whole number from 1/);
    expect(() => parseDemoOptions(["--colour", "red"])).toThrow(/colour/);
  });
});
