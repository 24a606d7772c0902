import { describe, expect, it } from "vitest";
import { parseEventTime } from "../src/index.js";

const time = (text: string, zone = "UTC") => parseEventTime(text, zone);

describe("order and registration times become RFC 3339 with an offset", () => {
  it("keeps a time that has an offset as it is written", () => {
    expect(time("2024-03-01T09:30:00+09:00")).toEqual({ ok: true, value: "2024-03-01T09:30:00+09:00" });
    expect(time("2024-03-01 09:30:00.250Z", "Asia/Seoul")).toEqual({
      ok: true,
      value: "2024-03-01T09:30:00.250Z",
    });
    expect(time("2024-03-01T09:30+0530")).toEqual({ ok: true, value: "2024-03-01T09:30:00+05:30" });
  });

  it("reads a time without an offset on the wall clock of --timezone (Asia/Seoul has no summer time)", () => {
    expect(time("2024-03-01 09:30", "Asia/Seoul")).toEqual({ ok: true, value: "2024-03-01T09:30:00+09:00" });
    expect(time("2024-07-01 23:59:59", "Asia/Seoul")).toEqual({
      ok: true,
      value: "2024-07-01T23:59:59+09:00",
    });
  });

  it("reads a bare date as the start of that day in the zone", () => {
    expect(time("2024-03-01", "Asia/Seoul")).toEqual({ ok: true, value: "2024-03-01T00:00:00+09:00" });
    expect(time("2024-03-01")).toEqual({ ok: true, value: "2024-03-01T00:00:00+00:00" });
  });

  it("gives a zone with summer time the offset of that date", () => {
    expect(time("2024-01-15 12:00", "Europe/Berlin")).toEqual({
      ok: true,
      value: "2024-01-15T12:00:00+01:00",
    });
    expect(time("2024-07-15 12:00", "Europe/Berlin")).toEqual({
      ok: true,
      value: "2024-07-15T12:00:00+02:00",
    });
    expect(time("2024-11-04", "America/New_York")).toEqual({ ok: true, value: "2024-11-04T00:00:00-05:00" });
  });

  it("moves a time skipped when the clocks go forward by the length of the jump", () => {
    // Europe/Berlin went from 02:00 straight to 03:00 on 2024-03-31.
    expect(time("2024-03-31 02:30", "Europe/Berlin")).toEqual({
      ok: true,
      value: "2024-03-31T03:30:00+02:00",
    });
    expect(time("2024-03-10 02:15", "America/New_York")).toEqual({
      ok: true,
      value: "2024-03-10T03:15:00-04:00",
    });
  });

  it("takes the earlier of a time that happens twice when the clocks go back", () => {
    // Europe/Berlin showed 02:00–03:00 twice on 2024-10-27, first in summer time.
    expect(time("2024-10-27 02:30", "Europe/Berlin")).toEqual({
      ok: true,
      value: "2024-10-27T02:30:00+02:00",
    });
    expect(time("2024-10-27 03:30", "Europe/Berlin")).toEqual({
      ok: true,
      value: "2024-10-27T03:30:00+01:00",
    });
  });

  it.each(["2024-02-30", "2024-03-01 24:00", "01.03.2024", "2024-03-01T09:30:00+25:00", "yesterday", ""])(
    "refuses %j",
    (text) => {
      expect(time(text).ok).toBe(false);
    },
  );
});
