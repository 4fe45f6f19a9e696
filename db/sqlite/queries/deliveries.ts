import { sql, type SQL } from "drizzle-orm";
import { readLoggedResponse } from "@/db/rules";
import type {
  DeliveryDetail,
  DeliveryPage,
  DeliveryQuery,
  DeliverySummary,
  DeliveryError,
} from "@/db/types";
import type { DeliveryOutcome } from "@/db/schema";
import type { AppDatabase } from "../client";
import { all, get } from "../prepared";
import { iso, parseJson } from "./values";
import { inList, whereClause } from "./sql";

const SUMMARY_COLUMNS =
  sql.raw(`id, received_at, connector_id, connection_owner_id, idempotency_key,
  event, model, resource_id, engagement_id, outcome, http_status, error, warnings, duration_ms,
  body_bytes, repeat_count, last_repeat_at, original_delivery_id`);

type SummaryRow = {
  id: number;
  received_at: number;
  connector_id: string | null;
  connection_owner_id: string | null;
  idempotency_key: string | null;
  event: string | null;
  model: string | null;
  resource_id: string | null;
  engagement_id: number | null;
  outcome: DeliveryOutcome;
  http_status: number;
  error: string | null;
  warnings: string;
  duration_ms: number;
  body_bytes: number | null;
  repeat_count: number;
  last_repeat_at: number | null;
  original_delivery_id: number | null;
};

function toSummary(row: SummaryRow): DeliverySummary {
  return {
    id: row.id,
    receivedAt: iso(row.received_at)!,
    connectorId: row.connector_id,
    connectionOwnerId: row.connection_owner_id,
    idempotencyKey: row.idempotency_key,
    event: row.event,
    model: row.model,
    resourceId: row.resource_id,
    engagementId: row.engagement_id,
    outcome: row.outcome,
    httpStatus: row.http_status,
    error: parseJson<DeliveryError | null>(row.error, null),
    warnings: parseJson<string[]>(row.warnings, []),
    durationMs: row.duration_ms,
    bodyBytes: row.body_bytes,
    repeatCount: row.repeat_count,
    lastRepeatAt: iso(row.last_repeat_at),
    originalDeliveryId: row.original_delivery_id,
  };
}

/** The WHERE conditions of a query, without paging; `except` leaves the outcome out (its chips). */
function conditions(query: DeliveryQuery, except?: "outcome"): SQL[] {
  const where: SQL[] = [];
  if (query.outcome.length && except !== "outcome") where.push(inList(sql`outcome`, query.outcome));
  if (query.event) where.push(sql`event = ${query.event}`);
  if (query.connection) {
    where.push(sql`connector_id = ${query.connection.connectorId}`);
    where.push(sql`connection_owner_id = ${query.connection.connectionOwnerId}`);
  }
  if (query.key) where.push(sql`idempotency_key = ${query.key}`);
  if (query.resource) where.push(sql`resource_id = ${query.resource}`);
  if (query.fromMs !== null) where.push(sql`received_at >= ${query.fromMs}`);
  if (query.toMs !== null) where.push(sql`received_at <= ${query.toMs}`);
  return where;
}

/** The log, newest first, one keyset page at a time (`next` null on the last page). */
export function listDeliveries(db: AppDatabase, query: DeliveryQuery): DeliveryPage {
  const where = conditions(query);
  if (query.before !== null) where.push(sql`id < ${query.before}`);
  const rows = all<SummaryRow>(
    db,
    sql`select ${SUMMARY_COLUMNS} from deliveries ${whereClause(where)} order by id desc limit ${query.limit + 1}`,
  );
  const page = rows.slice(0, query.limit);
  const next = rows.length > query.limit ? page[page.length - 1]!.id : null;
  return { data: page.map(toSummary), next };
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

type FullRow = SummaryRow & { headers: string; body: string | null; response_body: string | null };

/** One delivery whole, with the original it repeats and the engagement it touched; null if unknown. */
export function getDelivery(db: AppDatabase, id: number): DeliveryDetail | null {
  const row = get<FullRow>(
    db,
    sql`select ${SUMMARY_COLUMNS}, headers, body, response_body from deliveries where id = ${id}`,
  );
  if (!row) return null;
  const original =
    row.original_delivery_id === null
      ? undefined
      : get<SummaryRow>(
          db,
          sql`select ${SUMMARY_COLUMNS} from deliveries where id = ${row.original_delivery_id}`,
        );
  const repeats = all<SummaryRow>(
    db,
    sql`select ${SUMMARY_COLUMNS} from deliveries where original_delivery_id = ${row.id} order by id limit 100`,
  );
  const engagement =
    row.engagement_id === null
      ? undefined
      : get<{
          id: number;
          external_id: string;
          title: string | null;
          type: string | null;
          deleted_at: number | null;
        }>(
          db,
          sql`select id, external_id, title, type, deleted_at from engagements where id = ${row.engagement_id}`,
        );
  return {
    ...toSummary(row),
    headers: parseJson<Record<string, string>>(row.headers, {}),
    body: row.body,
    response: readLoggedResponse({
      responseBody: row.response_body,
      body: row.body,
      httpStatus: row.http_status,
    }),
    original: original ? toSummary(original) : null,
    repeats: repeats.map(toSummary),
    engagement: engagement
      ? {
          id: engagement.id,
          externalId: engagement.external_id,
          title: engagement.title,
          type: engagement.type,
          deletedAt: iso(engagement.deleted_at),
        }
      : null,
  };
}
