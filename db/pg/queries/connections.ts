import { sql } from "drizzle-orm";
import {
  DELIVERY_TOTALS,
  ENGAGEMENT_TOTALS,
  LAST_APPLIED,
  RECORD_TOTALS,
  RECENT_DELIVERIES,
  TROUBLED_OUTCOMES,
  dayStartMs,
  toConnectionStats,
  toPulses,
  type ConnectionPulse,
  type ConnectionStats,
  type DayCountRow,
  type DeliveryDays,
  type DeliveryTotalsRow,
  type EngagementTotalsRow,
  type LastAppliedRow,
  type PulseRow,
  type RecordTotalsRow,
} from "@/db/connection-views";
import type { PgDatabase } from "../client";
import { allRows } from "./rows";

/**
 * Each connection that sent deliveries, with the pulse of its newest ones. PostgreSQL has no
 * skip scan: the recursive step seeks the next connection along `deliveries_connection`.
 */
const PULSES = sql`with recursive connections as (
    (select connector_id, connection_owner_id from deliveries
     where connector_id is not null and connection_owner_id is not null
     order by connector_id, connection_owner_id limit 1)
    union all
    select next.connector_id, next.connection_owner_id from connections c cross join lateral (
      select d.connector_id, d.connection_owner_id from deliveries d
      where (d.connector_id, d.connection_owner_id) > (c.connector_id, c.connection_owner_id)
        and d.connection_owner_id is not null
      order by d.connector_id, d.connection_owner_id limit 1) as next)
  select c.connector_id, c.connection_owner_id, p.last_received_at, p.recent, p.troubled
  from connections c cross join lateral (
    select max(received_at) as last_received_at, count(*)::int as recent,
      (count(*) filter (where outcome in (${sql.raw(TROUBLED_OUTCOMES.map((o) => `'${o}'`).join(", "))})))::int as troubled
    from (select received_at, outcome from deliveries d
          where d.connector_id = c.connector_id and d.connection_owner_id = c.connection_owner_id
          order by received_at desc limit ${RECENT_DELIVERIES}) as newest) as p`;

/** The connections of `rows` as a table, one array parameter per column. */
const connectionsOf = (rows: DeliveryTotalsRow[]) =>
  sql`unnest(${sql.param(rows.map((r) => r.connector_id))}::text[],
             ${sql.param(rows.map((r) => r.connection_owner_id))}::text[])
      as c(connector_id, connection_owner_id)`;

/**
 * Deliveries per UTC day of the window: a range count along the index per day and connection,
 * which measured half the time of hashing one range by day.
 */
const dayCounts = (rows: DeliveryTotalsRow[], window: DeliveryDays) =>
  sql`select c.connector_id, c.connection_owner_id, d.day,
      (select count(*)::int from deliveries x
       where x.connector_id = c.connector_id and x.connection_owner_id = c.connection_owner_id
         and x.received_at >= d.day * ${dayStartMs(1)} and x.received_at < (d.day + 1) * ${dayStartMs(1)}) as n
    from ${connectionsOf(rows)}
    cross join generate_series(${window.startDay}::bigint, ${window.endDay}::bigint) as d(day)`;

const lastApplied = (rows: DeliveryTotalsRow[]) =>
  sql`select c.connector_id, c.connection_owner_id,
    ${LAST_APPLIED(sql`c.connector_id`, sql`c.connection_owner_id`)} as last_applied_at
    from ${connectionsOf(rows)}`;

export async function connectionPulses(db: PgDatabase): Promise<ConnectionPulse[]> {
  return toPulses(await allRows<PulseRow>(db, PULSES));
}

/** Every connection with its totals (one repeatable-read snapshot). */
export async function listConnections(
  db: PgDatabase,
  window: DeliveryDays,
): Promise<ConnectionStats[]> {
  const read = await db.transaction(
    async (tx) => {
      const t = tx as unknown as PgDatabase;
      const deliveries = await allRows<DeliveryTotalsRow>(t, DELIVERY_TOTALS);
      return {
        deliveries,
        lastApplied: await allRows<LastAppliedRow>(t, lastApplied(deliveries)),
        days: await allRows<DayCountRow>(t, dayCounts(deliveries, window)),
        engagements: await allRows<EngagementTotalsRow>(t, ENGAGEMENT_TOTALS),
        records: await allRows<RecordTotalsRow>(t, RECORD_TOTALS),
        pulses: await allRows<PulseRow>(t, PULSES),
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  return toConnectionStats(read, window);
}
