import { type Rejected, rejected } from "./rejection.js";

// RFC 3339 with an explicit offset: a timestamp without one means a different instant in every time zone.
const rfc3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})$/;

export type TimeLimits = { now: Date; maxFutureSkewMs: number };

/** An event time as UTC ISO-8601 with milliseconds, or why it cannot be one. */
export function normaliseEventTime(
  value: unknown,
  limits: TimeLimits,
): { ok: true; time: string } | Rejected {
  if (typeof value !== "string" || value.trim() === "") {
    return rejected(
      "invalid_timestamp",
      "time is missing; give the moment the fact happened as RFC 3339, e.g. 2026-03-01T09:30:00+09:00",
    );
  }
  const text = value.trim();
  const parts = rfc3339.exec(text);
  if (!parts) {
    return rejected(
      "invalid_timestamp",
      `time ${JSON.stringify(truncate(text))} is not an RFC 3339 timestamp with an offset, e.g. 2026-03-01T09:30:00+09:00`,
    );
  }
  const [, year, month, day, hour, minute, second = "00"] = parts;
  const millis = Date.parse(text.replace(" ", "T").replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  const calendarOk = isCalendarDate(Number(year), Number(month), Number(day));
  if (
    Number.isNaN(millis) ||
    !calendarOk ||
    Number(hour) > 23 ||
    Number(minute) > 59 ||
    Number(second) > 59
  ) {
    return rejected(
      "invalid_timestamp",
      `time ${JSON.stringify(truncate(text))} is not a real date and time`,
    );
  }
  if (millis - limits.now.getTime() > limits.maxFutureSkewMs) {
    return rejected(
      "future_timestamp",
      `time ${text} is more than ${Math.round(limits.maxFutureSkewMs / 1000)} s after the time of receipt ${limits.now.toISOString()}`,
    );
  }
  return { ok: true, time: new Date(millis).toISOString() };
}

export function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function truncate(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
