import { excerpt } from "./excerpt.js";

export type LogTimestampResult = { ok: true; occurredAt: string } | { ok: false; detail: string };

// strftime's %b in the C locale: Apache and nginx write English month names whatever the server's locale.
const monthIndexByName: ReadonlyMap<string, number> = new Map(
  ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].map((name, index) => [
    name,
    index,
  ]),
);

const timestampShape = /^(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;

function daysInMonth(year: number, monthIndex: number): number {
  // Day 0 of the next month is the last day of this one.
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, monthIndex + 1, 0);
  return lastDay.getUTCDate();
}

/**
 * Converts a Common Log Format timestamp (`10/Oct/2000:13:55:36 -0700`, local time with its UTC
 * offset) to a UTC ISO-8601 instant with milliseconds (`2000-10-10T20:55:36.000Z`).
 */
export function parseLogTimestamp(text: string): LogTimestampResult {
  const match = timestampShape.exec(text);
  if (match === null) {
    return {
      ok: false,
      detail: `The timestamp ${excerpt(text)} is not in the form dd/Mon/yyyy:HH:MM:SS ±hhmm.`,
    };
  }
  const [, day, monthName = "", year, hour, minute, second, sign, offsetHours, offsetMinutes] = match;
  const monthIndex = monthIndexByName.get(monthName.toLowerCase());
  if (monthIndex === undefined) {
    return {
      ok: false,
      detail: `The timestamp ${excerpt(text)} names an unknown month ${excerpt(monthName)}.`,
    };
  }
  const dayOfMonth = Number(day);
  if (dayOfMonth < 1 || dayOfMonth > daysInMonth(Number(year), monthIndex)) {
    return { ok: false, detail: `The timestamp ${excerpt(text)} names a day its month does not have.` };
  }
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    return {
      ok: false,
      detail: `The timestamp ${excerpt(text)} has a time of day outside 00:00:00–23:59:59.`,
    };
  }
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) {
    return { ok: false, detail: `The timestamp ${excerpt(text)} has an impossible UTC offset.` };
  }
  const offsetMs = (sign === "-" ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000;
  // setUTCFullYear rather than Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const localTime = new Date(0);
  localTime.setUTCFullYear(Number(year), monthIndex, dayOfMonth);
  localTime.setUTCHours(Number(hour), Number(minute), Number(second), 0);
  return { ok: true, occurredAt: new Date(localTime.getTime() - offsetMs).toISOString() };
}
