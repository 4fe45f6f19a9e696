import { DAY_MS, timeZoneOffset, wallClockToUtc, type DateRange } from "./dates";

/**
 * Rolling ranges (`range=last7`): resolved against "now" at each request, so a bookmark keeps
 * rolling. Days are calendar days in `tz` (else UTC), each as long as it really is (23 or 25
 * hours on a DST change): bounds are each day's own midnight there, never "+ 24 h".
 */

export const RANGES = [
  "today",
  "yesterday",
  "last7",
  "last30",
  "last90",
  "olderThan30",
  "olderThan90",
  "next7",
  "next30",
  "thisWeek",
  "thisMonth",
  "thisQuarter",
  "lastMonth",
  "lastQuarter",
] as const;
export type RangeName = (typeof RANGES)[number];

export const RANGE_LABELS: Record<RangeName, string> = {
  today: "Today",
  yesterday: "Yesterday",
  last7: "Last 7 days",
  last30: "Last 30 days",
  last90: "Last 90 days",
  olderThan30: "Older than 30 days",
  olderThan90: "Older than 90 days",
  next7: "Next 7 days",
  next30: "Next 30 days",
  thisWeek: "This week",
  thisMonth: "This month",
  thisQuarter: "This quarter",
  lastMonth: "Last month",
  lastQuarter: "Last quarter",
};

export function isRangeName(value: string): value is RangeName {
  return (RANGES as readonly string[]).includes(value);
}

/** A range as wall-clock days in the zone: `start` inclusive, `end` exclusive, `now` an instant. */
type WallSpan = { start: number | null; end: number; fromNow?: boolean };

function wallSpan(range: RangeName, today: number): WallSpan {
  const date = new Date(today);
  const [y, m] = [date.getUTCFullYear(), date.getUTCMonth()];
  const quarter = m - (m % 3);
  const days = (n: number) => today + n * DAY_MS;
  switch (range) {
    case "today":
      return { start: today, end: days(1) };
    case "yesterday":
      return { start: days(-1), end: today };
    case "last7":
    case "last30":
    case "last90":
      return { start: days(1 - Number(range.slice(4))), end: days(1) };
    case "olderThan30":
    case "olderThan90":
      return { start: null, end: days(1 - Number(range.slice(9))) };
    case "next7":
    case "next30":
      return { start: today, end: days(1 + Number(range.slice(4))), fromNow: true };
    case "thisWeek": {
      const monday = days(-((date.getUTCDay() + 6) % 7));
      return { start: monday, end: monday + 7 * DAY_MS };
    }
    case "thisMonth":
      return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
    case "thisQuarter":
      return { start: Date.UTC(y, quarter, 1), end: Date.UTC(y, quarter + 3, 1) };
    case "lastMonth":
      return { start: Date.UTC(y, m - 1, 1), end: Date.UTC(y, m, 1) };
    case "lastQuarter":
      return { start: Date.UTC(y, quarter - 3, 1), end: Date.UTC(y, quarter, 1) };
  }
}

/** Midnight today in `tz`, as a wall-clock time counted like UTC. */
function wallToday(nowMs: number, tz: string | null): number {
  const wall = tz ? nowMs + timeZoneOffset(nowMs, tz) : nowMs;
  return wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
}

/** The instants a range means at `nowMs` in `tz`, both ends inclusive (null: open). */
export function resolveRange(range: RangeName, nowMs: number, tz: string | null): DateRange {
  const span = wallSpan(range, wallToday(nowMs, tz));
  return {
    fromMs: span.fromNow ? nowMs : span.start === null ? null : wallClockToUtc(span.start, tz),
    toMs: wallClockToUtc(span.end, tz) - 1,
  };
}

/** A row must satisfy both: the later start and the earlier end. */
export function intersectRanges(a: DateRange, b: DateRange): DateRange {
  const pick = (x: number | null, y: number | null, f: (p: number, q: number) => number) =>
    x === null ? y : y === null ? x : f(x, y);
  return { fromMs: pick(a.fromMs, b.fromMs, Math.max), toMs: pick(a.toMs, b.toMs, Math.min) };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * What a range means today, for its chip: "Last 7 days · 24 Nov – 30 Nov", "Older than 30 days ·
 * before 1 Nov". A year is named when it is not this one.
 */
export function describeRange(range: RangeName, nowMs: number, tz: string | null): string {
  const today = wallToday(nowMs, tz);
  const span = wallSpan(range, today);
  const thisYear = new Date(today).getUTCFullYear();
  const day = (wall: number) => {
    const d = new Date(wall);
    const year = d.getUTCFullYear() === thisYear ? "" : ` ${d.getUTCFullYear()}`;
    return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${year}`;
  };
  const last = day(span.end - DAY_MS);
  const dates =
    span.start === null
      ? `before ${day(span.end)}`
      : span.start === span.end - DAY_MS
        ? last
        : `${day(span.start)} – ${last}`;
  return `${RANGE_LABELS[range]} · ${dates}`;
}
