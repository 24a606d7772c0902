/** A date and time on a wall clock, without saying where the clock hangs. */
export type WallTime = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
};

const dayMs = 24 * 60 * 60 * 1000;

// Building a DateTimeFormat is costly and every row of a file uses the same zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isTimeZone(name: string): boolean {
  try {
    formatterOf(name);
    return true;
  } catch {
    return false;
  }
}

/** The wall time as if it were UTC, in epoch milliseconds: the reference offsets are measured from. */
export function wallTimeMs(wall: WallTime): number {
  const ms = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  return new Date(ms).setUTCFullYear(wall.year);
}

const hourMs = 60 * 60 * 1000;
const maxCachedHours = 100_000;
// Asking Intl for an offset costs microseconds, and a file asks for one per row. Offsets change a
// few times a year, so an hour with the same offset at both ends keeps it throughout.
const offsetsByHour = new Map<string, number | null>();

/** The zone's offset from UTC at an instant, in milliseconds (Asia/Seoul: +9 h). */
export function offsetMsAt(timeZone: string, epochMs: number): number {
  const hourStart = Math.floor(epochMs / hourMs) * hourMs;
  const key = `${timeZone}\u0000${hourStart}`;
  let offset = offsetsByHour.get(key);
  if (offset === undefined) {
    const atStart = exactOffsetMsAt(timeZone, hourStart);
    offset = atStart === exactOffsetMsAt(timeZone, hourStart + hourMs - 1000) ? atStart : null;
    if (offsetsByHour.size >= maxCachedHours) offsetsByHour.clear();
    offsetsByHour.set(key, offset);
  }
  return offset ?? exactOffsetMsAt(timeZone, epochMs);
}

function exactOffsetMsAt(timeZone: string, epochMs: number): number {
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  const parts = Object.fromEntries(
    formatterOf(timeZone)
      .formatToParts(new Date(wholeSecond))
      .map((part) => [part.type, Number(part.value)]),
  );
  const wall = {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
  return wallTimeMs(wall) - wholeSecond;
}

/**
 * The instant a wall time in a zone stands for. Around a daylight-saving change the answer is
 * the one java.time and Temporal ("compatible") give: a time that occurs twice (the clock goes
 * back) is the earlier instant; a time that never occurs (the clock jumps forward) is moved
 * forward by the length of the jump, so 02:30 on a spring-forward night becomes 03:30.
 */
export function instantOfWallTime(wall: WallTime, timeZone: string): number {
  const asUtc = wallTimeMs(wall);
  // At most one transition lies within a day either side, so these are the two offsets in play.
  const offsetBefore = offsetMsAt(timeZone, asUtc - dayMs);
  const offsetAfter = offsetMsAt(timeZone, asUtc + dayMs);
  const candidates = [asUtc - offsetBefore, asUtc - offsetAfter].filter(
    (instant) => offsetMsAt(timeZone, instant) === asUtc - instant,
  );
  return candidates.length > 0 ? Math.min(...candidates) : asUtc - offsetBefore;
}
