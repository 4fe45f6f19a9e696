import { sql } from "drizzle-orm";
import {
  DELIVERY_TOTALS,
  ENGAGEMENT_TOTALS,
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

/** Deliveries per UTC day of the window, one index range per connection, hashed by day. */
function dayCounts(rows: DeliveryTotalsRow[], window: DeliveryDays) {
  const from = dayStartMs(window.startDay);
  const recent = rows.filter((row) => (row.last_received_at ?? -Infinity) >= from);
  return sql`select c.connector_id, c.connection_owner_id, d.day, d.n
    from unnest(${sql.param(recent.map((r) => r.connector_id))}::text[],
                ${sql.param(recent.map((r) => r.connection_owner_id))}::text[])
      as c(connector_id, connection_owner_id)
    cross join lateral (
      select received_at / ${dayStartMs(1)} as day, count(*)::int as n from deliveries x
      where x.connector_id = c.connector_id and x.connection_owner_id = c.connection_owner_id
        and x.received_at >= ${from} and x.received_at < ${dayStartMs(window.endDay + 1)}
      group by 1) as d`;
}

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
