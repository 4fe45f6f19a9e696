import { sql } from "drizzle-orm";
import {
  DELIVERY_SUMMARY_COLUMNS as SUMMARY_COLUMNS,
  deliveryConditions as conditions,
  toDeliveryDetail,
  toDeliveryPage,
  type DeliveryFullRow,
  type DeliverySummaryRow,
  type TouchedEngagementRow,
} from "@/db/delivery-views";
import type { DeliveryOutcome } from "@/db/models";
import { whereClause } from "@/db/sql-fragments";
import type { DeliveryDetail, DeliveryPage, DeliveryQuery } from "@/db/types";
import type { PgDatabase } from "../client";
import { allRows, firstRow, readJsonb } from "./rows";

/** The log, newest first, one keyset page at a time (`next` null on the last page). */
export async function listDeliveries(db: PgDatabase, query: DeliveryQuery): Promise<DeliveryPage> {
  const where = conditions(query);
  if (query.before !== null) where.push(sql`id < ${query.before}`);
  const rows = await allRows<DeliverySummaryRow>(
    db,
    sql`select ${SUMMARY_COLUMNS} from deliveries ${whereClause(where)} order by id desc limit ${query.limit + 1}`,
  );
  return toDeliveryPage(rows, query.limit, readJsonb);
}

/** How many deliveries per outcome match the query's other conditions (the outcome chips). */
export async function countDeliveriesByOutcome(
  db: PgDatabase,
  query: DeliveryQuery,
): Promise<Partial<Record<DeliveryOutcome, number>>> {
  // Ordered as SQLite's grouping returns them, so the object's keys come in the same order.
  const rows = await allRows<{ outcome: DeliveryOutcome; n: number }>(
    db,
    sql`select outcome, count(*)::int as n from deliveries ${whereClause(conditions(query, "outcome"))}
        group by outcome order by outcome collate "C"`,
  );
  return Object.fromEntries(rows.map((row) => [row.outcome, row.n]));
}

/** The distinct events and connections seen, for the filter form's choices (byte order, as SQLite). */
export async function deliveryFilterChoices(db: PgDatabase) {
  const [events, connections] = await Promise.all([
    allRows<{ event: string }>(
      db,
      sql`select event from deliveries where event is not null
          group by event order by event collate "C" limit 100`,
    ),
    allRows<{ connector_id: string; connection_owner_id: string }>(
      db,
      sql`select connector_id, connection_owner_id from deliveries
          where connector_id is not null and connection_owner_id is not null
          group by connector_id, connection_owner_id
          order by connector_id collate "C", connection_owner_id collate "C" limit 100`,
    ),
  ]);
  return {
    events: events.map((row) => row.event),
    connections: connections.map((row) => ({
      connectorId: row.connector_id,
      connectionOwnerId: row.connection_owner_id,
    })),
  };
}

type DetailRow = DeliveryFullRow & {
  original: DeliverySummaryRow | null;
  repeats: DeliverySummaryRow[];
  engagement: TouchedEngagementRow | null;
};

/** One delivery whole, with the original it repeats and the engagement it touched; null if unknown. */
export async function getDelivery(db: PgDatabase, id: number): Promise<DeliveryDetail | null> {
  // One round trip: the original, the repeats and the engagement come as JSON beside the row.
  const row = await firstRow<DetailRow>(
    db,
    sql`select ${SUMMARY_COLUMNS}, headers, body, response_body,
          (select row_to_json(o) from (
             select ${SUMMARY_COLUMNS} from deliveries where id = d.original_delivery_id) o
          ) as original,
          (select coalesce(json_agg(r order by r.id), '[]'::json) from (
             select ${SUMMARY_COLUMNS} from deliveries where original_delivery_id = d.id
             order by id limit 100) r
          ) as repeats,
          (select row_to_json(e) from (
             select id, external_id, title, type, deleted_at,
                    (select version from engagement_history h
                      where h.connector_id = g.connector_id
                        and h.connection_owner_id = g.connection_owner_id
                        and h.engagement_id = g.id and h.delivery_id = d.id) as version
               from engagements g
             where id = d.engagement_id limit 1) e
          ) as engagement
        from deliveries d where d.id = ${id}`,
  );
  if (!row) return null;
  return toDeliveryDetail(
    {
      row,
      original: row.original ?? undefined,
      repeats: row.repeats,
      engagement: row.engagement ?? undefined,
    },
    readJsonb,
  );
}
