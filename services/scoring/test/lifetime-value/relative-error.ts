import { expect } from "vitest";

/** |actual/expected − 1|: how far off a value is, whatever its magnitude. */
export function relativeError(actual: number, expected: number): number {
  return Math.abs(actual / expected - 1);
}

export function expectRelativelyClose(actual: number, expected: number, tolerance: number): void {
  expect(relativeError(actual, expected), `${actual} vs ${expected}`).toBeLessThan(tolerance);
}
