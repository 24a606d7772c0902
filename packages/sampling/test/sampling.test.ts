import { describe, expect, it } from "vitest";
import { sampleGamma, sampleNormal, seededRandom } from "../src/index.js";

const moments = (draws: number[]) => {
  const mean = draws.reduce((total, draw) => total + draw, 0) / draws.length;
  const variance = draws.reduce((total, draw) => total + (draw - mean) ** 2, 0) / (draws.length - 1);
  return { mean, variance };
};

describe("the seeded generator", () => {
  it("repeats its sequence for a seed and differs between seeds", () => {
    const first = Array.from({ length: 5 }, seededRandom(42));
    const again = Array.from({ length: 5 }, seededRandom(42));
    const other = Array.from({ length: 5 }, seededRandom(43));

    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it("spreads its numbers evenly over [0, 1)", () => {
    const random = seededRandom(1);
    const draws = Array.from({ length: 50_000 }, () => random());
    const deciles = Array.from(
      { length: 10 },
      (_, d) => draws.filter((x) => Math.floor(x * 10) === d).length,
    );

    expect(draws.every((draw) => draw >= 0 && draw < 1)).toBe(true);
    for (const count of deciles) expect(Math.abs(count - 5_000)).toBeLessThan(250);
  });
});

describe("the draws", () => {
  it("draws a standard normal", () => {
    const random = seededRandom(3);
    const n = 40_000;
    const { mean, variance } = moments(Array.from({ length: n }, () => sampleNormal(random)));

    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(1 / n));
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it.each([0.3, 1, 4.5])("draws Gamma(%s) with mean and variance equal to its shape", (shape) => {
    const random = seededRandom(Math.round(shape * 10));
    const n = 40_000;
    const { mean, variance } = moments(Array.from({ length: n }, () => sampleGamma(shape, random)));

    expect(Math.abs(mean - shape)).toBeLessThan(5 * Math.sqrt(shape / n));
    expect(Math.abs(variance / shape - 1)).toBeLessThan(0.08);
  });

  it("makes a shape of zero or less a point mass at zero", () => {
    expect(sampleGamma(0, seededRandom(1))).toBe(0);
  });
});
