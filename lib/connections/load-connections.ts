import { getStore } from "@/db/app-store";
import type { ConnectionStats, DeliveryDays } from "@/db/connection-views";
import type { Store } from "@/db/store";
import { connectionSilenceHours } from "@/lib/config";
import { alarmOf, silenceOf, type Silence } from "./health";

const DAY_MS = 86_400_000;
/** The chart's span: the last 30 UTC days, today included. */
export const CHART_DAYS = 30;

export type ConnectionView = ConnectionStats & Silence & { alarm: "silent" | "troubled" | null };

export type ConnectionAlarm = {
  connectorId: string;
  connectionOwnerId: string;
  alarm: "silent" | "troubled";
  lastReceivedAt: string | null;
  recent: { deliveries: number; troubled: number };
};

export function chartDaysEnding(now: number): DeliveryDays {
  const endDay = Math.floor(now / DAY_MS);
  return { startDay: endDay - CHART_DAYS + 1, endDay };
}

/** Every connection with its totals and flags, as the page shows them. */
export async function loadConnections(
  now: number,
  store: Store = getStore(),
): Promise<ConnectionView[]> {
  const hours = connectionSilenceHours();
  const rows = await store.listConnections(chartDaysEnding(now));
  return rows.map((row) => {
    const silence = silenceOf(row.lastReceivedAt, now, hours);
    return { ...row, ...silence, alarm: alarmOf(silence, row.recent) };
  });
}

/** `GET /api/connections`: the fields CONTRACT.md names, in its order. */
export async function listConnectionsForApi(now: number) {
  const views = await loadConnections(now);
  return {
    data: views.map((v) => ({
      connectorId: v.connectorId,
      connectionOwnerId: v.connectionOwnerId,
      engagements: v.engagements,
      deletedEngagements: v.deletedEngagements,
      records: v.records,
      deliveries: v.deliveries,
      outcomes: v.outcomes,
      lastReceivedAt: v.lastReceivedAt,
      lastAppliedAt: v.lastAppliedAt,
      perDay: v.perDay.map(({ day, count }) => ({ day, count })),
      silent: v.silent,
      retired: v.retired,
    })),
  };
}

/**
 * The connections the banner on /engagements names: silent and not retired, or with most of
 * their newest deliveries refused. Reads only each connection's newest deliveries.
 */
export async function loadConnectionAlarms(
  now: number,
  store: Store = getStore(),
): Promise<ConnectionAlarm[]> {
  const hours = connectionSilenceHours();
  const alarms: ConnectionAlarm[] = [];
  for (const pulse of await store.connectionPulses()) {
    const recent = { deliveries: pulse.recent, troubled: pulse.troubled };
    const alarm = alarmOf(silenceOf(pulse.lastReceivedAt, now, hours), recent);
    if (!alarm) continue;
    const { connectorId, connectionOwnerId, lastReceivedAt } = pulse;
    alarms.push({ connectorId, connectionOwnerId, alarm, lastReceivedAt, recent });
  }
  return alarms;
}

/** The banner's alarms, never a rejection: the list beside it already says when the database is down. */
export function loadBannerAlarms(now: number): Promise<ConnectionAlarm[]> {
  return loadConnectionAlarms(now).catch((error) => {
    console.error("could not read the connections for the banner", error);
    return [];
  });
}
