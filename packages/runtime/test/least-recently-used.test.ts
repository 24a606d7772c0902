import { describe, expect, it } from "vitest";
import { LeastRecentlyUsed } from "../src/least-recently-used.js";

describe("LeastRecentlyUsed", () => {
  it("forgets the entries used longest ago beyond its capacity; reading an entry counts as a use", () => {
    const cache = new LeastRecentlyUsed<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1);
    cache.set("c", 3);

    expect(cache.has("b")).toBe(false);
    expect([cache.get("a"), cache.get("c"), cache.size]).toEqual([1, 3, 2]);
  });

  it("replaces an entry set again without growing, and empties on clear", () => {
    const cache = new LeastRecentlyUsed<string, number>(2);
    cache.set("a", 1);
    cache.set("a", 10);
    expect([cache.get("a"), cache.size]).toEqual([10, 1]);
    cache.clear();
    expect([cache.has("a"), cache.size]).toEqual([false, 0]);
  });
});
