import { describe, expect, it } from "vitest";
import { bucketCollectionNames, bucketOf } from "../src/bucketed-collections.js";
import { compareIds } from "../src/id-order.js";

describe("bucket of a key", () => {
  it("is the first 4 bytes of the key's SHA-1 modulo the count, the same on every machine and run", () => {
    // sha1("email:ann@example.com") starts ab175f65: 0xab175f65 % 256 = 0x65.
    expect(bucketOf("email:ann@example.com", 256)).toBe(0x65);
    expect(bucketOf("email:ann@example.com", 7)).toBe(0xab175f65 % 7);
    // sha1("cus_000000000000000000000001") starts 999f2111.
    expect(bucketOf("cus_000000000000000000000001", 256)).toBe(0x11);
    expect(bucketOf("anything", 1)).toBe(0);
  });

  it("spreads similar keys evenly over the buckets", () => {
    const counts = new Array<number>(256).fill(0);
    for (let n = 0; n < 25_600; n += 1) {
      const bucket = bucketOf(`email:person${n}@example.com`, 256);
      counts[bucket] = (counts[bucket] ?? 0) + 1;
    }
    // 100 a bucket expected, with a standard deviation of 10: no bucket is far off, and the counts
    // are as even as a uniform hash makes them (a chi-square of about 255 ± 23 for 255 degrees of freedom).
    expect(Math.min(...counts)).toBeGreaterThan(50);
    expect(Math.max(...counts)).toBeLessThan(160);
    const chiSquare = counts.reduce((sum, count) => sum + (count - 100) ** 2 / 100, 0);
    expect(chiSquare).toBeLessThan(330);
  });

  it("names one bucket after the kind, and several with four hex digits", () => {
    expect(bucketCollectionNames("customers", 1)).toEqual(["customers"]);
    const names = bucketCollectionNames("customers", 256);
    expect(names).toHaveLength(256);
    expect([names[0], names[10], names[255]]).toEqual(["customers_0000", "customers_000a", "customers_00ff"]);
  });
});

describe("id order", () => {
  it("orders by code point, as the server sorts strings, not by UTF-16 code unit", () => {
    const ids = ["\u{1F600}", "\uFF01", "é", "z", "a", "B"];
    expect([...ids].sort(compareIds)).toEqual(["B", "a", "z", "é", "\uFF01", "\u{1F600}"]);
    expect(compareIds("a", "a")).toBe(0);
  });
});
