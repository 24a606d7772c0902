import { describe, expect, it } from "vitest";
import { parseBirthDate } from "../src/index.js";

describe("birth dates become ISO calendar dates", () => {
  it.each([
    ["1985-07-14", "1985-07-14"],
    ["1985/07/14", "1985-07-14"],
    ["1985/7/4", "1985-07-04"],
    ["19850714", "1985-07-14"],
  ])("%s is %s", (text, date) => {
    expect(parseBirthDate(text)).toEqual({ ok: true, value: date });
  });

  it.each(["1985-02-30", "19851314", "14.07.1985", "85-07-14"])("refuses %s", (text) => {
    expect(parseBirthDate(text).ok).toBe(false);
  });
});
