import type { ActivityWindow } from "@/db/types";

/**
 * Dates in URLs: `from` / `to` take an ISO date (`2025-03-06`) or date-time. A bare date is a
 * whole calendar day in UTC, unless `tz` names an IANA time zone, in which case it is that day
 * there. `to` is inclusive: a bare `to` date runs through the end of that day. A date-time with
 * `Z` or an offset is that instant; without one it is read in `tz` (else UTC). The URL keeps
 * the text as typed, so a shared link means the same days for everyone.
 */

export const DAY_MS = 86_400_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds to add to a UTC instant to get the wall-clock time in `tz` at that instant. */
export function timeZoneOffset(utcMs: number, tz: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: tz,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return asUtc - (utcMs - (utcMs % 1000));
}

/** A wall-clock time in `tz` (null: UTC) as an epoch ms instant. */
function wallClockToUtc(wallMs: number, tz: string | null): number {
  if (!tz || tz === "UTC") return wallMs;
  const guess = wallMs - timeZoneOffset(wallMs, tz);
  // A second pass settles instants near a DST change.
  return wallMs - timeZoneOffset(guess, tz);
}

/** One end of a date range as an instant; `end` makes a bare date mean the end of that day. */
export function parseDateBound(
  value: string | null,
  tz: string | null,
  end: boolean,
): number | null {
  if (!value) return null;
  const date = DATE_RE.exec(value);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const wall = Date.UTC(y, m - 1, d);
    const check = new Date(wall);
    if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d)
      return null;
    return end ? wallClockToUtc(wall + DAY_MS, tz) - 1 : wallClockToUtc(wall, tz);
  }
  const dt = DATETIME_RE.exec(value);
  if (!dt) return null;
  if (dt[8]) {
    const ms = Date.parse(value.replace(" ", "T"));
    return Number.isFinite(ms) ? ms : null;
  }
  const [y, mo, d, h, mi, s, frac] = dt.slice(1, 8).map((v) => (v ? Number(v) : 0));
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, frac ? Number(dt[7]!.padEnd(3, "0")) : 0);
  if (!Number.isFinite(wall) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59)
    return null;
  return wallClockToUtc(wall, tz);
}

export type DateRange = { fromMs: number | null; toMs: number | null };
/** A range as the URL has it: the text typed and the zone it is read in. */
export type DateParams = { from: string | null; to: string | null; tz: string | null };

export function dateRange(dates: DateParams): DateRange {
  return {
    fromMs: parseDateBound(dates.from, dates.tz, false),
    toMs: parseDateBound(dates.to, dates.tz, true),
  };
}

/**
 * The chart's days: over the range when it has both ends (at most 92 days), else the 30 days up
 * to `anchorMs`. Days are counted in `tz` (else UTC) at the offset it has at `anchorMs`.
 */
export function activityWindow(
  bounds: DateRange,
  tz: string | null,
  anchorMs: number,
): ActivityWindow {
  const offsetMs = tz ? timeZoneOffset(anchorMs, tz) : 0;
  const dayOf = (ms: number) => Math.floor((ms + offsetMs) / DAY_MS);
  const endDay = dayOf(bounds.toMs ?? anchorMs);
  const startDay = Math.max(
    bounds.fromMs !== null ? dayOf(bounds.fromMs) : endDay - 29,
    endDay - 91,
  );
  return {
    offsetMs,
    startDay,
    endDay,
    fromMs: startDay * DAY_MS - offsetMs,
    toMs: (endDay + 1) * DAY_MS - offsetMs - 1,
  };
}

export const QUICK_RANGES = ["today", "last7", "last30", "thisMonth"] as const;
export type QuickRange = (typeof QUICK_RANGES)[number];
export const QUICK_RANGE_LABELS: Record<QuickRange, string> = {
  today: "Today",
  last7: "Last 7 days",
  last30: "Last 30 days",
  thisMonth: "This month",
};

function isoDay(wallMs: number) {
  return new Date(wallMs).toISOString().slice(0, 10);
}

/** A quick range as bare dates (inclusive), counted in `tz` (else UTC) as of `now`. */
export function quickRange(
  range: QuickRange,
  now: number,
  tz: string | null,
): { from: string; to: string } {
  const wallNow = tz ? now + timeZoneOffset(now, tz) : now;
  const today = wallNow - (((wallNow % DAY_MS) + DAY_MS) % DAY_MS);
  const to = isoDay(today);
  switch (range) {
    case "today":
      return { from: to, to };
    case "last7":
      return { from: isoDay(today - 6 * DAY_MS), to };
    case "last30":
      return { from: isoDay(today - 29 * DAY_MS), to };
    case "thisMonth":
      return { from: `${to.slice(0, 8)}01`, to };
  }
}

/** Which quick range (if any) the dates are, so its link can show as selected. */
export function activeQuickRange(dates: DateParams, now: number): QuickRange | null {
  for (const range of QUICK_RANGES) {
    const { from, to } = quickRange(range, now, dates.tz);
    if (dates.from === from && dates.to === to) return range;
  }
  return null;
}
