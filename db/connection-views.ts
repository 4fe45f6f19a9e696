import { sql, type SQL } from "drizzle-orm";
import { chartDays, DAY_MS } from "./activity-days";
import { DELIVERY_OUTCOMES, type DeliveryOutcome } from "./models";
import { iso } from "./stored-values";
import type { ActivityDay, Connection } from "./types";

/** The connections page as every engine reads it: the same statements where the dialects agree. */

/** How many of a connection's newest deliveries its pulse looks at. */
export const RECENT_DELIVERIES = 100;

/** Outcomes that mean the sender's deliveries are not getting through. */
export const TROUBLED_OUTCOMES = ["conflict", "rejected"] as const satisfies DeliveryOutcome[];

/** UTC days, as day numbers (floor(ms / day)), both ends included. */
export type DeliveryDays = { startDay: number; endDay: number };

/** A connection's newest deliveries: when the last arrived, and how many of them were troubled. */
export type ConnectionPulse = Connection & {
  lastReceivedAt: string | null;
  recent: number;
  troubled: number;
};

export type ConnectionStats = Connection & {
  engagements: number;
  deletedEngagements: number;
  records: number;
  deliveries: number;
  outcomes: Record<DeliveryOutcome, number>;
  lastReceivedAt: string | null;
  lastAppliedAt: string | null;
  perDay: ActivityDay[];
  recent: { deliveries: number; troubled: number };
};

/** Counted outcomes: `applied`, the most frequent, is the rest (every row holds one of the six). */
const COUNTED_OUTCOMES = DELIVERY_OUTCOMES.filter((o) => o !== "applied");

export type DeliveryTotalsRow = {
  connector_id: string;
  connection_owner_id: string;
  deliveries: number;
} & Record<Exclude<DeliveryOutcome, "applied">, number>;

export type LastAppliedRow = {
  connector_id: string;
  connection_owner_id: string;
  last_applied_at: number | null;
};

export type EngagementTotalsRow = {
  connector_id: string;
  connection_owner_id: string;
  live: number;
  deleted: number;
};

export type RecordTotalsRow = { connector_id: string; connection_owner_id: string; n: number };

export type DayCountRow = {
  connector_id: string;
  connection_owner_id: string;
  day: number;
  n: number;
};

export type PulseRow = {
  connector_id: string;
  connection_owner_id: string;
  last_received_at: number | null;
  recent: number;
  troubled: number;
};

/**
 * Every connection's deliveries counted in one pass over `deliveries_connection`, in its order
 * (no sort, no table reads). Conditional counts: a GROUP BY outcome would sort every row on
 * SQLite. Each further expression costs a share of the pass: the last arrivals are read by seeks.
 */
export const DELIVERY_TOTALS = sql`select connector_id, connection_owner_id,
  count(*) as deliveries,
  ${sql.raw(COUNTED_OUTCOMES.map((o) => `count(*) filter (where outcome = '${o}') as ${o}`).join(", "))}
  from deliveries where connector_id is not null and connection_owner_id is not null
  group by connector_id, connection_owner_id`;

/** A connection's last `applied` delivery: its index read backwards to the first one. */
export const LAST_APPLIED = (connector: SQL, owner: SQL) => sql`(select received_at from deliveries
  where connector_id = ${connector} and connection_owner_id = ${owner} and outcome = 'applied'
  order by received_at desc limit 1)`;

/** Engagements per connection from the counters (slots and groups summed), not the table. */
export const ENGAGEMENT_TOTALS = sql`select connector_id, connection_owner_id,
  sum(case when deleted then 0 else n end) as live, sum(case when deleted then n else 0 end) as deleted
  from engagement_counts group by connector_id, connection_owner_id`;

/** Records kept per connection, tombstones left out (as engagements are). */
export const RECORD_TOTALS = sql`select connector_id, connection_owner_id,
  count(*) filter (where deleted_at is null) as n
  from records group by connector_id, connection_owner_id`;

/** The pulse of one connection's newest deliveries, read backwards along its index. */
export const pulseOf = (connection: Connection) => sql`select
  max(received_at) as last_received_at, count(*) as recent,
  count(*) filter (where outcome in (${sql.raw(TROUBLED_OUTCOMES.map((o) => `'${o}'`).join(", "))})) as troubled
  from (select received_at, outcome from deliveries
        where connector_id = ${connection.connectorId} and connection_owner_id = ${connection.connectionOwnerId}
        order by received_at desc limit ${RECENT_DELIVERIES}) as newest`;

export const dayStartMs = (day: number) => day * DAY_MS;

const keyOf = (row: { connector_id: string; connection_owner_id: string }) =>
  `${row.connector_id}\u0000${row.connection_owner_id}`;

const byConnection = (a: Connection, b: Connection) =>
  a.connectorId < b.connectorId
    ? -1
    : a.connectorId > b.connectorId
      ? 1
      : a.connectionOwnerId < b.connectionOwnerId
        ? -1
        : a.connectionOwnerId > b.connectionOwnerId
          ? 1
          : 0;

export function toPulses(rows: PulseRow[]): ConnectionPulse[] {
  return rows
    .map((row) => ({
      connectorId: row.connector_id,
      connectionOwnerId: row.connection_owner_id,
      lastReceivedAt: iso(row.last_received_at),
      recent: row.recent,
      troubled: row.troubled,
    }))
    .sort(byConnection);
}

/** One row per connection seen anywhere (deliveries, engagements, records), ordered by its ids. */
export function toConnectionStats(
  rows: {
    deliveries: DeliveryTotalsRow[];
    lastApplied: LastAppliedRow[];
    engagements: EngagementTotalsRow[];
    records: RecordTotalsRow[];
    days: DayCountRow[];
    pulses: PulseRow[];
  },
  window: DeliveryDays,
): ConnectionStats[] {
  const stats = new Map<string, ConnectionStats>();
  const statsOf = (row: { connector_id: string; connection_owner_id: string }) => {
    const key = keyOf(row);
    let found = stats.get(key);
    if (!found) {
      found = {
        connectorId: row.connector_id,
        connectionOwnerId: row.connection_owner_id,
        engagements: 0,
        deletedEngagements: 0,
        records: 0,
        deliveries: 0,
        outcomes: Object.fromEntries(
          DELIVERY_OUTCOMES.map((o) => [o, 0]),
        ) as ConnectionStats["outcomes"],
        lastReceivedAt: null,
        lastAppliedAt: null,
        perDay: [],
        recent: { deliveries: 0, troubled: 0 },
      };
      stats.set(key, found);
    }
    return found;
  };
  for (const row of rows.deliveries) {
    const s = statsOf(row);
    s.deliveries = row.deliveries;
    s.outcomes.applied = row.deliveries;
    for (const outcome of COUNTED_OUTCOMES) {
      s.outcomes[outcome] = row[outcome];
      s.outcomes.applied -= row[outcome];
    }
  }
  for (const row of rows.lastApplied) statsOf(row).lastAppliedAt = iso(row.last_applied_at);
  for (const row of rows.engagements) {
    const s = statsOf(row);
    s.engagements += row.live;
    s.deletedEngagements += row.deleted;
  }
  for (const row of rows.records) statsOf(row).records = row.n;
  for (const row of rows.pulses) {
    const s = statsOf(row);
    s.lastReceivedAt = iso(row.last_received_at);
    s.recent = { deliveries: row.recent, troubled: row.troubled };
  }
  const days = new Map<string, Map<number, number>>();
  for (const row of rows.days) {
    const key = keyOf(row);
    if (!days.has(key)) days.set(key, new Map());
    days.get(key)!.set(row.day, row.n);
  }
  const chart = {
    offsetMs: 0,
    startDay: window.startDay,
    endDay: window.endDay,
    fromMs: dayStartMs(window.startDay),
    toMs: dayStartMs(window.endDay + 1) - 1,
  };
  for (const [key, s] of stats) s.perDay = chartDays(chart, days.get(key) ?? new Map());
  return [...stats.values()].sort(byConnection);
}
