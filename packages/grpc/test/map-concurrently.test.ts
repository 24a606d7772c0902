import { describe, expect, it } from "vitest";
import { mapConcurrently } from "../src/map-concurrently.js";

describe("mapping with a bounded number of calls in flight", () => {
  it("answers in the items' order and starts nothing after a failure", async () => {
    const started: number[] = [];
    const failing = mapConcurrently([0, 1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      if (item === 1) throw new Error("scoring is down");
      await new Promise((resolve) => setTimeout(resolve, 5));
      return item;
    });
    await expect(failing).rejects.toThrow("scoring is down");
    expect(started).toEqual([0, 1]);
    expect(await mapConcurrently([3, 1, 2], 5, async (item) => item * 10)).toEqual([30, 10, 20]);
    expect(await mapConcurrently([], 4, async (item: number) => item)).toEqual([]);
  });
});
