import { isCalendarDate } from "@rapport/events";
import { type Parsed, parsedValue, parseProblem } from "./parsed.js";
import { instantOfWallTime, offsetMsAt, type WallTime } from "./zoned-time.js";

// The date, an optional time and an optional offset: 2024-03-01, 2024-03-01 09:30, 2024-03-01T09:30:00+09:00.
const timestamp =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/**
 * An order or registration time as RFC 3339 with an offset. A time with an offset stands as written;
 * one without (and a bare date, meaning the start of that day) is a wall time in `timeZone`, and
 * gets that zone's offset on that date, summer time included.
 */
export function parseEventTime(text: string, timeZone: string): Parsed<string> {
  const parts = timestamp.exec(text.trim());
  if (!parts) {
    return parseProblem(
      `"${text}" is not a date or time; write 2024-03-01, 2024-03-01 09:30[:00] or 2024-03-01T09:30:00+09:00`,
    );
  }
  const [, year, month, day, hour = "00", minute = "00", second = "00", fraction = "", offset] = parts;
  const wall: WallTime = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
  };
  if (
    !isCalendarDate(wall.year, wall.month, wall.day) ||
    wall.hour > 23 ||
    wall.minute > 59 ||
    wall.second > 59
  ) {
    return parseProblem(`"${text}" is not a real date and time`);
  }
  if (offset !== undefined) {
    const normalisedOffset = normaliseOffset(offset);
    if (normalisedOffset === undefined)
      return parseProblem(`"${text}" has an impossible UTC offset ${offset}`);
    return parsedValue(`${formatWallTime(wall)}${fraction}${normalisedOffset}`);
  }
  const instant = instantOfWallTime(wall, timeZone);
  const offsetMs = offsetMsAt(timeZone, instant);
  // Zones before standard time (local mean time) have offsets with seconds, which RFC 3339 cannot
  // write; UTC says the same instant.
  if (offsetMs % 60_000 !== 0)
    return parsedValue(`${new Date(instant).toISOString().slice(0, 19)}${fraction}Z`);
  const shifted = new Date(instant + offsetMs);
  const local: WallTime = {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  };
  return parsedValue(`${formatWallTime(local)}${fraction}${formatOffset(offsetMs)}`);
}

function normaliseOffset(offset: string): string | undefined {
  if (offset === "Z" || offset === "z") return "Z";
  const hours = Number(offset.slice(1, 3));
  const minutes = Number(offset.slice(-2));
  if (hours > 23 || minutes > 59) return undefined;
  return `${offset.slice(0, 3)}:${offset.slice(-2)}`;
}

function formatWallTime(wall: WallTime): string {
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}`;
}

function formatOffset(offsetMs: number): string {
  const totalMinutes = Math.abs(offsetMs) / 60_000;
  const sign = offsetMs < 0 ? "-" : "+";
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${sign}${pad(Math.floor(totalMinutes / 60))}:${pad(totalMinutes % 60)}`;
}
