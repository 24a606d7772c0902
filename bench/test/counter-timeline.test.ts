import { describe, expect, it } from "vitest";
import { rateBetween } from "../shared/counter-timeline.js";

describe("a counter's rate over a stretch of a run", () => {
  const timeline = [
    { atMs: 1_000, count: 100 },
    { atMs: 2_000, count: 1_100 },
    { atMs: 3_000, count: 1_600 },
    { atMs: 5_000, count: 2_000 },
  ];

  it("is measured between the first observations that reached each count", () => {
    expect(rateBetween(timeline, 1, 1_000)).toBe(1_000);
    expect(rateBetween(timeline, 1_500, 2_000)).toBe(200);
  });

  it("is unknown when one observation covers the whole stretch or the count was never reached", () => {
    expect(rateBetween(timeline, 1_200, 1_500)).toBeUndefined();
    expect(rateBetween(timeline, 1, 5_000)).toBeUndefined();
  });
});
