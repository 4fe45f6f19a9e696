import { sql, type SQL } from "drizzle-orm";
import type { DeliveryOutcome } from "./models";
import { errorOf, readLoggedResponse } from "./rules";
import { inList } from "./sql-fragments";
import { iso, type ReadJson } from "./stored-values";
import type { DeliveryDetail, DeliveryError, DeliveryQuery, DeliverySummary } from "./types";

/** The delivery log as every engine reads it back: the same columns, filters and views. */

export const DELIVERY_SUMMARY_COLUMNS =
  sql.raw(`id, received_at, connector_id, connection_owner_id, idempotency_key,
  event, model, resource_id, engagement_id, outcome, http_status, error, warnings, duration_ms,
  body_bytes, repeat_count, last_repeat_at, original_delivery_id`);

/** A log row as stored; JSON columns are text on SQLite and parsed values on PostgreSQL. */
export type DeliverySummaryRow = {
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
  error: unknown;
  warnings: unknown;
  duration_ms: number;
  body_bytes: number | null;
  repeat_count: number;
  last_repeat_at: number | null;
  original_delivery_id: number | null;
};

export type DeliveryFullRow = DeliverySummaryRow & {
  headers: unknown;
  body: string | null;
  response_body: string | null;
};

export type TouchedEngagementRow = {
  id: number;
  external_id: string;
  title: string | null;
  type: string | null;
  deleted_at: number | null;
  /** The version of it the delivery made, if any. */
  version: number | null;
};

/** `{code, message, details?}` in that order, whatever order the engine kept the keys in. */
const orderedError = (value: DeliveryError | null) => value && errorOf(value);

export function toDeliverySummary(row: DeliverySummaryRow, readJson: ReadJson): DeliverySummary {
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
    error: orderedError(readJson<DeliveryError | null>(row.error, null)),
    warnings: readJson<string[]>(row.warnings, []),
    durationMs: row.duration_ms,
    bodyBytes: row.body_bytes,
    repeatCount: row.repeat_count,
    lastRepeatAt: iso(row.last_repeat_at),
    originalDeliveryId: row.original_delivery_id,
  };
}

/** The WHERE conditions of a query, without paging; `except` leaves the outcome out (its chips). */
export function deliveryConditions(query: DeliveryQuery, except?: "outcome"): SQL[] {
  const where: SQL[] = [];
  if (query.outcome.length && except !== "outcome") where.push(inList(sql`outcome`, query.outcome));
  if (query.event.length) where.push(inList(sql`event`, query.event));
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

/** One keyset page from `limit + 1` rows read newest first. */
export function toDeliveryPage(rows: DeliverySummaryRow[], limit: number, readJson: ReadJson) {
  const page = rows.slice(0, limit);
  const next = rows.length > limit ? page[page.length - 1]!.id : null;
  return { data: page.map((row) => toDeliverySummary(row, readJson)), next };
}

/** One delivery whole, from its row, the original it repeats, its repeats and its engagement. */
export function toDeliveryDetail(
  rows: {
    row: DeliveryFullRow;
    original: DeliverySummaryRow | undefined;
    repeats: DeliverySummaryRow[];
    engagement: TouchedEngagementRow | undefined;
  },
  readJson: ReadJson,
): DeliveryDetail {
  const { row, original, repeats, engagement } = rows;
  return {
    ...toDeliverySummary(row, readJson),
    headers: readJson<Record<string, string>>(row.headers, {}),
    body: row.body,
    response: readLoggedResponse({
      responseBody: row.response_body,
      body: row.body,
      httpStatus: row.http_status,
    }),
    original: original ? toDeliverySummary(original, readJson) : null,
    repeats: repeats.map((repeat) => toDeliverySummary(repeat, readJson)),
    engagement: engagement
      ? {
          id: engagement.id,
          externalId: engagement.external_id,
          title: engagement.title,
          type: engagement.type,
          deletedAt: iso(engagement.deleted_at),
        }
      : null,
    version: engagement?.version ?? null,
  };
}
