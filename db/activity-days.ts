import { sql, type SQL } from "drizzle-orm";
import type { ActivityDay, ActivityWindow } from "./types";

/** The chart's days: a day number in the viewer's zone is floor((ms + offset at ms) / day). */

export const DAY_MS = 86_400_000;

function offsetAt(chart: ActivityWindow, ms: number): number {
  let offset = chart.offsetMs;
  for (const shift of chart.shifts ?? []) if (ms >= shift.atMs) offset = shift.offsetMs;
  return offset;
}

export const dayOf = (chart: ActivityWindow, ms: number) =>
  Math.floor((ms + offsetAt(chart, ms)) / DAY_MS);

/**
 * The zone's offset at `startedAt` in SQL, the same on both engines. Bound, not inlined: the
 * text stays one per number of shifts, so prepared statements are shared across zones.
 */
export function offsetSql(chart: ActivityWindow, startedAt: SQL): SQL {
  const shifts = chart.shifts ?? [];
  const int = (n: number) => sql`cast(${Math.trunc(n)} as bigint)`;
  if (shifts.length === 0) return int(chart.offsetMs);
  const whens = [...shifts]
    .reverse()
    .map((s) => sql`when ${startedAt} >= ${int(s.atMs)} then ${int(s.offsetMs)}`);
  return sql`(case ${sql.join(whens, sql` `)} else ${int(chart.offsetMs)} end)`;
}

/** Every day of the window, zero days included; days up to `partialUpTo` marked partial. */
export function chartDays(
  chart: ActivityWindow,
  byDay: Map<number, number>,
  partialUpTo = -Infinity,
): ActivityDay[] {
  const days: ActivityDay[] = [];
  for (let day = chart.startDay; day <= chart.endDay; day++) {
    days.push({
      day: new Date(day * DAY_MS).toISOString().slice(0, 10),
      count: byDay.get(day) ?? 0,
      ...(day <= partialUpTo ? { partial: true as const } : {}),
    });
  }
  return days;
}
