import { sql } from "drizzle-orm";
import {
  DELIVERY_TOTALS,
  ENGAGEMENT_TOTALS,
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
  type PulseRow,
  type RecordTotalsRow,
} from "@/db/connection-views";
import type { Connection } from "@/db/types";
import type { AppDatabase } from "../client";
import { all, get } from "../prepared";

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
    connector_id: connection.connectorId,
    connection_owner_id: connection.connectionOwnerId,
    ...get<Omit<PulseRow, "connector_id" | "connection_owner_id">>(db, pulseOf(connection))!,
  }));
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
  ).map((row) => ({
    connector_id: connection.connectorId,
    connection_owner_id: connection.connectionOwnerId,
    ...row,
  }));
}

export function connectionPulses(db: AppDatabase): ConnectionPulse[] {
  return toPulses(pulseRows(db, deliveryConnections(db)));
}

/** Every connection with its totals, read in one snapshot. */
export function listConnections(db: AppDatabase, window: DeliveryDays): ConnectionStats[] {
  const read = db.$client.transaction(() => {
    const deliveries = all<DeliveryTotalsRow>(db, DELIVERY_TOTALS);
    const from = dayStartMs(window.startDay);
    const days = deliveries
      .filter((row) => (row.last_received_at ?? -Infinity) >= from)
      .flatMap((row) =>
        dayCounts(
          db,
          { connectorId: row.connector_id, connectionOwnerId: row.connection_owner_id },
          window,
        ),
      );
    return {
      deliveries,
      engagements: all<EngagementTotalsRow>(db, ENGAGEMENT_TOTALS),
      records: all<RecordTotalsRow>(db, RECORD_TOTALS),
      days,
      pulses: pulseRows(
        db,
        deliveries.map((row) => ({
          connectorId: row.connector_id,
          connectionOwnerId: row.connection_owner_id,
        })),
      ),
    };
  });
  return toConnectionStats(read(), window);
}
