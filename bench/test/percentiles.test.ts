import { describe, expect, it } from "vitest";
import { latencySummary, median, percentile, spreadOf } from "../shared/percentiles.js";

describe("percentiles of a latency sample", () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it("takes the nearest rank: p50 of 1..100 is 50, p90 is 90, p99 is 99, p100 is the maximum", () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 90)).toBe(90);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 100)).toBe(100);
  });

  it("never interpolates: every percentile is an observed value", () => {
    const sample = [1, 2, 3, 10];
    expect(percentile(sample, 50)).toBe(2);
    expect(percentile(sample, 75)).toBe(3);
    expect(percentile(sample, 76)).toBe(10);
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
  });

  it("summarises an unsorted sample without changing it", () => {
    const sample = [30, 10, 20, 50, 40];
    expect(latencySummary(sample)).toEqual({ count: 5, p50: 30, p90: 50, p99: 50, max: 50 });
    expect(sample).toEqual([30, 10, 20, 50, 40]);
  });

  it("refuses an empty sample and a percentile outside (0, 100]", () => {
    expect(() => percentile([], 50)).toThrow(/empty/);
    expect(() => percentile([1], 0)).toThrow(/\(0, 100\]/);
    expect(() => percentile([1], 101)).toThrow(/\(0, 100\]/);
  });
});

describe("the spread of repeated runs", () => {
  it("is the median with the minimum and maximum", () => {
    expect(spreadOf([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, runs: 3 });
  });

  it("takes the mean of the two middle runs for an even count", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
