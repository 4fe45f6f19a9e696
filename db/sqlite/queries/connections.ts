import { sql } from "drizzle-orm";
import {
  DELIVERY_TOTALS,
  ENGAGEMENT_TOTALS,
  LAST_APPLIED,
  RECORD_TOTALS,
  dayStartMs,
  pulseOf,
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
import type { Connection } from "@/db/types";
import type { AppDatabase } from "../client";
import { all, get } from "../prepared";

const rowKey = (connection: Connection) => ({
  connector_id: connection.connectorId,
  connection_owner_id: connection.connectionOwnerId,
});

/** The connections that sent deliveries: SQLite skips from one to the next along the index. */
function deliveryConnections(db: AppDatabase): Connection[] {
  return all<{ connector_id: string; connection_owner_id: string }>(
    db,
    sql`select distinct connector_id, connection_owner_id from deliveries
        where connector_id is not null and connection_owner_id is not null`,
  ).map((row) => ({ connectorId: row.connector_id, connectionOwnerId: row.connection_owner_id }));
}

function pulseRows(db: AppDatabase, connections: Connection[]): PulseRow[] {
  return connections.map((connection) => ({
    ...rowKey(connection),
    ...get<Omit<PulseRow, "connector_id" | "connection_owner_id">>(db, pulseOf(connection))!,
  }));
}

function lastApplied(db: AppDatabase, connection: Connection): LastAppliedRow {
  const last = get<{ last_applied_at: number | null }>(
    db,
    sql`select ${LAST_APPLIED(sql`${connection.connectorId}`, sql`${connection.connectionOwnerId}`)} as last_applied_at`,
  );
  return { ...rowKey(connection), last_applied_at: last?.last_applied_at ?? null };
}

/**
 * One connection's deliveries per day: a range count along the index for each day. Grouping by
 * a computed day would sort every delivery of the window first.
 */
function dayCounts(db: AppDatabase, connection: Connection, window: DeliveryDays): DayCountRow[] {
  return all<{ day: number; n: number }>(
    db,
    sql`with recursive days(day) as (
          select cast(${window.startDay} as integer) union all
          select day + 1 from days where day < ${window.endDay})
        select day, (select count(*) from deliveries
          where connector_id = ${connection.connectorId}
            and connection_owner_id = ${connection.connectionOwnerId}
            and received_at >= day * ${dayStartMs(1)} and received_at < (day + 1) * ${dayStartMs(1)}) as n
        from days`,
  ).map((row) => ({ ...rowKey(connection), ...row }));
}

export function connectionPulses(db: AppDatabase): ConnectionPulse[] {
  return toPulses(pulseRows(db, deliveryConnections(db)));
}

/** Every connection with its totals, read in one snapshot. */
export function listConnections(db: AppDatabase, window: DeliveryDays): ConnectionStats[] {
  const read = db.$client.transaction(() => {
    const deliveries = all<DeliveryTotalsRow>(db, DELIVERY_TOTALS);
    const sent: Connection[] = deliveries.map((row) => ({
      connectorId: row.connector_id,
      connectionOwnerId: row.connection_owner_id,
    }));
    return {
      deliveries,
      lastApplied: sent.map((connection) => lastApplied(db, connection)),
      days: sent.flatMap((connection) => dayCounts(db, connection, window)),
      engagements: all<EngagementTotalsRow>(db, ENGAGEMENT_TOTALS),
      records: all<RecordTotalsRow>(db, RECORD_TOTALS),
      pulses: pulseRows(db, sent),
    };
  });
  return toConnectionStats(read(), window);
}
