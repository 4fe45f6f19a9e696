/** When a connection counts as silent, retired or in trouble: the rules the page, API and banner share. */

const HOUR_MS = 3_600_000;
/** Silent for longer than this, a connection is taken for retired: listed, but raising no banner. */
export const RETIRED_AFTER_MS = 30 * 24 * HOUR_MS;

export type Silence = { silent: boolean; retired: boolean };

/**
 * Silent when nothing has arrived for `silenceHours` (0: never); one that never sent a delivery
 * (a bulk load) has been silent forever, so it is retired too.
 */
export function silenceOf(
  lastReceivedAt: string | null,
  now: number,
  silenceHours: number,
): Silence {
  if (silenceHours <= 0) return { silent: false, retired: false };
  const quietMs = lastReceivedAt === null ? Infinity : now - Date.parse(lastReceivedAt);
  const silent = quietMs > silenceHours * HOUR_MS;
  return { silent, retired: silent && quietMs > RETIRED_AFTER_MS };
}

/** More than half of its newest deliveries (up to 100) were conflicts or rejected. */
export function isTroubled(recent: { deliveries: number; troubled: number }): boolean {
  return recent.troubled * 2 > recent.deliveries;
}

/** Why a connection calls for the banner on /engagements, or null when it does not. */
export function alarmOf(
  silence: Silence,
  recent: { deliveries: number; troubled: number },
): "silent" | "troubled" | null {
  if (silence.retired) return null;
  if (silence.silent) return "silent";
  return isTroubled(recent) ? "troubled" : null;
}
