import { describe, expect, it } from "vitest";
import { minimizeNelderMead } from "../../src/domain/lifetime-value/nelder-mead.js";

const rosenbrock = ([x = 0, y = 0]: readonly number[]) => 100 * (y - x * x) ** 2 + (1 - x) ** 2;

describe("Nelder–Mead", () => {
  it("finds the minimum of Rosenbrock's banana valley from the classic start (−1.2, 1)", () => {
    const result = minimizeNelderMead(rosenbrock, [-1.2, 1]);

    expect(result.converged).toBe(true);
    expect(result.point[0]).toBeCloseTo(1, 6);
    expect(result.point[1]).toBeCloseTo(1, 6);
    expect(result.value).toBeLessThan(1e-12);
  });

  it("finds the minimum of a quadratic bowl in four dimensions, scaled differently on each axis", () => {
    const centre = [3, -1, 0.5, 10];
    const bowl = (point: readonly number[]) =>
      point.reduce((sum, x, i) => sum + (i + 1) ** 2 * (x - (centre[i] ?? 0)) ** 2, 7);

    const result = minimizeNelderMead(bowl, [0, 0, 0, 0]);

    expect(result.converged).toBe(true);
    result.point.forEach((x, i) => {
      expect(x).toBeCloseTo(centre[i] ?? 0, 6);
    });
    expect(result.value).toBeCloseTo(7, 12);
  });

  it("shrinks the simplex when neither reflection nor contraction improves (the step fmin crashes on)", () => {
    // The first simplex, (0,0) (1,0) (0,1), has its vertices in three wells of an egg crate:
    // reflecting or contracting the worst vertex lands on a ridge, so only a shrink helps.
    const eggCrate = (point: readonly number[]) =>
      point.reduce((sum, x) => sum + 0.1 * x * x - Math.cos(2 * Math.PI * x), 0);

    const result = minimizeNelderMead(eggCrate, [0, 0], { initialStep: 1 });

    expect(result.converged).toBe(true);
    expect(result.value).toBeCloseTo(-2, 12);
  });

  it("treats NaN as +∞, so it walks back out of where the objective is undefined", () => {
    let undefinedEvaluations = 0;
    const besideAWall = ([x = 0, y = 0]: readonly number[]) => {
      if (x < 0) {
        undefinedEvaluations += 1;
        return Number.NaN;
      }
      return (x - 0.1) ** 2 + (y - 1) ** 2;
    };

    const result = minimizeNelderMead(besideAWall, [0.5, 0]);

    expect(undefinedEvaluations).toBeGreaterThan(0);
    expect(result.converged).toBe(true);
    expect(result.point[0]).toBeCloseTo(0.1, 6);
    expect(result.point[1]).toBeCloseTo(1, 6);
  });

  it("stops at the iteration limit and says it has not converged", () => {
    const result = minimizeNelderMead(rosenbrock, [-1.2, 1], { maxIterations: 10 });

    expect(result.iterations).toBe(10);
    expect(result.converged).toBe(false);
    expect(result.value).toBeLessThan(rosenbrock([-1.2, 1]));
  });
});
