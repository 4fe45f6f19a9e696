import type { ActivityDay, ActivityWindow } from "./types";

/** The chart's days: a day number in the viewer's zone is floor((ms + offset) / day). */

export const DAY_MS = 86_400_000;

export const dayOf = (chart: ActivityWindow, ms: number) =>
  Math.floor((ms + chart.offsetMs) / DAY_MS);

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
