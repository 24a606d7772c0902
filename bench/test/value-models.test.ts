import { describe, expect, it } from "vitest";
import { parseValueModelBenchOptions } from "../value-models/options.js";

describe("the value-model benchmark's options", () => {
  it("split the year into two halves of 26 weeks by default", () => {
    expect(parseValueModelBenchOptions([])).toEqual({
      calibrationEnd: "2017-07-01",
      holdoutEnd: "2018-01-01",
      stallMinutes: 5,
      json: false,
      write: true,
    });
  });

  it("take another period, JSON and no writing", () => {
    const options = parseValueModelBenchOptions([
      "--calibration-end",
      "2017-04-01",
      "--holdout-end",
      "2017-10-01",
      "--json",
      "--no-write",
    ]);
    expect(options).toMatchObject({
      calibrationEnd: "2017-04-01",
      holdoutEnd: "2017-10-01",
      json: true,
      write: false,
    });
  });

  it("refuse a holdout that does not end after the calibration, or a time that is not a day", () => {
    expect(() =>
      parseValueModelBenchOptions(["--calibration-end", "2017-07-01", "--holdout-end", "2017-07-01"]),
    ).toThrow("--holdout-end must be after --calibration-end");
    expect(() => parseValueModelBenchOptions(["--calibration-end", "July"])).toThrow(
      '--calibration-end must be a day such as 2017-07-01, not "July"',
    );
  });
});
