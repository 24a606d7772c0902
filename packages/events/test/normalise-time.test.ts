import { describe, expect, it } from "vitest";
import { normaliseEventTime } from "../src/index.js";

const limits = { now: new Date("2026-03-01T00:00:00.000Z"), maxFutureSkewMs: 15 * 60_000 };

describe("normaliseEventTime", () => {
  it.each([
    ["2026-02-28T09:30:00+09:00", "2026-02-28T00:30:00.000Z"],
    ["2026-02-28T09:30:00.123456Z", "2026-02-28T09:30:00.123Z"],
    ["2026-02-28 09:30-0700", "2026-02-28T16:30:00.000Z"],
    ["2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"],
  ])("turns %s into UTC %s", (given, expected) => {
    expect(normaliseEventTime(given, limits)).toEqual({ ok: true, time: expected });
  });

  it.each([
    [undefined, /time is missing/],
    ["yesterday", /not an RFC 3339 timestamp/],
    ["2026-02-28T09:30:00", /with an offset/],
    ["2026-02-30T09:30:00Z", /not a real date and time/],
    ["2026-02-28T24:30:00Z", /not a real date and time/],
  ])("rejects %s as an invalid timestamp", (given, detail) => {
    const result = normaliseEventTime(given, limits);
    expect(result).toMatchObject({ ok: false, reason: "invalid_timestamp" });
    expect(result.ok ? "" : result.detail).toMatch(detail);
  });

  it("accepts clock skew up to the limit and rejects times further in the future", () => {
    expect(normaliseEventTime("2026-03-01T00:15:00Z", limits).ok).toBe(true);
    expect(normaliseEventTime("2026-03-01T00:15:01Z", limits)).toMatchObject({
      ok: false,
      reason: "future_timestamp",
    });
  });
});
