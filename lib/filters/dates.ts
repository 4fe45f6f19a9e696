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

// Building a formatter costs far more than using one; a chart asks for an offset per day.
const zoneFormatters = new Map<string, Intl.DateTimeFormat>();
function zoneFormatter(tz: string): Intl.DateTimeFormat {
  let formatter = zoneFormatters.get(tz);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    zoneFormatters.set(tz, formatter);
  }
  return formatter;
}

/** Milliseconds to add to a UTC instant to get the wall-clock time in `tz` at that instant. */
export function timeZoneOffset(utcMs: number, tz: string): number {
  const parts = zoneFormatter(tz).formatToParts(new Date(utcMs));
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
export function wallClockToUtc(wallMs: number, tz: string | null): number {
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
 * to `anchorMs`. Days are calendar days in `tz` (else UTC), each as long as it really is: a DST
 * change inside the window is one of its `shifts`.
 */
export function activityWindow(
  bounds: DateRange,
  tz: string | null,
  anchorMs: number,
): ActivityWindow {
  const offsetAt = (ms: number) => (tz ? timeZoneOffset(ms, tz) : 0);
  const dayOf = (ms: number) => Math.floor((ms + offsetAt(ms)) / DAY_MS);
  const endDay = dayOf(bounds.toMs ?? anchorMs);
  const startDay = Math.max(
    bounds.fromMs !== null ? dayOf(bounds.fromMs) : endDay - 29,
    endDay - 91,
  );
  const fromMs = wallClockToUtc(startDay * DAY_MS, tz);
  const toMs = wallClockToUtc((endDay + 1) * DAY_MS, tz) - 1;
  const shifts = tz ? zoneShifts(fromMs, toMs, tz) : [];
  return {
    offsetMs: offsetAt(fromMs),
    ...(shifts.length ? { shifts } : {}),
    startDay,
    endDay,
    fromMs,
    toMs,
  };
}

/** The instants in [fromMs, toMs] where the zone's offset changes, and the offset from then. */
function zoneShifts(fromMs: number, toMs: number, tz: string) {
  const shifts: { atMs: number; offsetMs: number }[] = [];
  let before = fromMs;
  let offset = timeZoneOffset(fromMs, tz);
  for (let probe = fromMs; probe < toMs;) {
    probe = Math.min(probe + DAY_MS / 2, toMs);
    const next = timeZoneOffset(probe, tz);
    if (next !== offset) {
      // Zones change on a whole second: halve down to it.
      let [lo, hi] = [before, probe];
      while (hi - lo > 1000) {
        const mid = lo + Math.max(1000, Math.floor((hi - lo) / 2000) * 1000);
        if (timeZoneOffset(mid, tz) === offset) lo = mid;
        else hi = mid;
      }
      shifts.push({ atMs: hi, offsetMs: next });
      offset = next;
    }
    before = probe;
  }
  return shifts;
}
