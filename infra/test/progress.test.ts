import { describe, expect, it } from "vitest";
import { formatElapsed } from "../src/progress.js";

describe("formatElapsed", () => {
  it("prints seconds with one decimal, aligned", () => {
    expect(formatElapsed(1234)).toBe("[   1.2s]");
    expect(formatElapsed(123_456)).toBe("[ 123.5s]");
  });
});
