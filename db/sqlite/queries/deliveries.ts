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
import { parseJson } from "@/db/stored-values";
import type { DeliveryDetail, DeliveryPage, DeliveryQuery } from "@/db/types";
import type { DeliveryOutcome } from "@/db/schema";
import type { AppDatabase } from "../client";
import { all, get } from "../prepared";
import { whereClause } from "./sql";

/** The log, newest first, one keyset page at a time (`next` null on the last page). */
export function listDeliveries(db: AppDatabase, query: DeliveryQuery): DeliveryPage {
  const where = conditions(query);
  if (query.before !== null) where.push(sql`id < ${query.before}`);
  const rows = all<DeliverySummaryRow>(
    db,
    sql`select ${SUMMARY_COLUMNS} from deliveries ${whereClause(where)} order by id desc limit ${query.limit + 1}`,
  );
  return toDeliveryPage(rows, query.limit, parseJson);
}

/** How many deliveries per outcome match the query's other conditions (the outcome chips). */
export function countDeliveriesByOutcome(
  db: AppDatabase,
  query: DeliveryQuery,
): Partial<Record<DeliveryOutcome, number>> {
  const rows = all<{ outcome: DeliveryOutcome; n: number }>(
    db,
    sql`select outcome, count(*) as n from deliveries ${whereClause(conditions(query, "outcome"))} group by outcome`,
  );
  return Object.fromEntries(rows.map((row) => [row.outcome, row.n]));
}

/** The distinct events and connections seen, for the filter form's choices. */
export function deliveryFilterChoices(db: AppDatabase) {
  const events = all<{ event: string }>(
    db,
    sql`select distinct event from deliveries where event is not null order by event limit 100`,
  ).map((row) => row.event);
  const connections = all<{ connector_id: string; connection_owner_id: string }>(
    db,
    sql`select distinct connector_id, connection_owner_id from deliveries
        where connector_id is not null and connection_owner_id is not null
        order by connector_id, connection_owner_id limit 100`,
  ).map((row) => ({ connectorId: row.connector_id, connectionOwnerId: row.connection_owner_id }));
  return { events, connections };
}

/** One delivery whole, with the original it repeats and the engagement it touched; null if unknown. */
export function getDelivery(db: AppDatabase, id: number): DeliveryDetail | null {
  const row = get<DeliveryFullRow>(
    db,
    sql`select ${SUMMARY_COLUMNS}, headers, body, response_body from deliveries where id = ${id}`,
  );
  if (!row) return null;
  const original =
    row.original_delivery_id === null
      ? undefined
      : get<DeliverySummaryRow>(
          db,
          sql`select ${SUMMARY_COLUMNS} from deliveries where id = ${row.original_delivery_id}`,
        );
  const repeats = all<DeliverySummaryRow>(
    db,
    sql`select ${SUMMARY_COLUMNS} from deliveries where original_delivery_id = ${row.id} order by id limit 100`,
  );
  const engagement =
    row.engagement_id === null
      ? undefined
      : get<TouchedEngagementRow>(
          db,
          sql`select id, external_id, title, type, deleted_at,
                (select version from engagement_history
                  where engagement_id = e.id and delivery_id = ${row.id}) as version
              from engagements e where id = ${row.engagement_id}`,
        );
  return toDeliveryDetail({ row, original, repeats, engagement }, parseJson);
}
