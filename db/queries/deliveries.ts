import { and, asc, count, desc, eq, gte, inArray, lt, lte, or, type SQL } from "drizzle-orm";
import type { AppDatabase } from "@/db/client";
import { deliveries, engagements, type Delivery, type DeliveryOutcome } from "@/db/schema";
import { dateBound, encodeCursor, type DeliveryFilter } from "@/lib/delivery-filters";
import { deliveryResponseBody } from "@/lib/ingest";

/** One log row as the list shows it (and as GET /api/deliveries returns it): no body. */
export type DeliverySummary = {
  id: number;
  receivedAt: string;
  connectorId: string | null;
  connectionOwnerId: string | null;
  idempotencyKey: string | null;
  event: string | null;
  model: string | null;
  resourceId: string | null;
  engagementId: number | null;
  outcome: DeliveryOutcome;
  httpStatus: number;
  error: Delivery["error"];
  warnings: string[];
  durationMs: number;
  bodyBytes: number | null;
  repeatCount: number;
  lastRepeatAt: string | null;
  originalDeliveryId: number | null;
};

export type DeliveryDetail = DeliverySummary & {
  headers: Record<string, string>;
  body: string | null;
  /** What the sender got back (an accepted event's response is its own body). */
  response: string | null;
  /** For a duplicate or conflict: the delivery that first bound the key. */
  original: DeliverySummary | null;
  /** For a delivery that bound a key: the later deliveries that came back with it. */
  repeats: DeliverySummary[];
  engagement: {
    id: number;
    externalId: string;
    title: string | null;
    type: string | null;
    deletedAt: string | null;
  } | null;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const summaryColumns = {
  id: deliveries.id,
  receivedAt: deliveries.receivedAt,
  connectorId: deliveries.connectorId,
  connectionOwnerId: deliveries.connectionOwnerId,
  idempotencyKey: deliveries.idempotencyKey,
  event: deliveries.event,
  model: deliveries.model,
  resourceId: deliveries.resourceId,
  engagementId: deliveries.engagementId,
  outcome: deliveries.outcome,
  httpStatus: deliveries.httpStatus,
  error: deliveries.error,
  warnings: deliveries.warnings,
  durationMs: deliveries.durationMs,
  bodyBytes: deliveries.bodyBytes,
  repeatCount: deliveries.repeatCount,
  lastRepeatAt: deliveries.lastRepeatAt,
  originalDeliveryId: deliveries.originalDeliveryId,
};

type SummaryRow = Omit<DeliverySummary, "receivedAt" | "lastRepeatAt"> & {
  receivedAt: number;
  lastRepeatAt: number | null;
};

function toSummary(row: SummaryRow): DeliverySummary {
  return { ...row, receivedAt: iso(row.receivedAt)!, lastRepeatAt: iso(row.lastRepeatAt) };
}

/** The WHERE clause of a filter, without paging; `except` leaves one filter out (for facets). */
function conditions(filter: DeliveryFilter, except?: "outcome"): SQL[] {
  const where: SQL[] = [];
  if (filter.outcome.length && except !== "outcome") {
    where.push(inArray(deliveries.outcome, filter.outcome));
  }
  if (filter.event) where.push(eq(deliveries.event, filter.event));
  if (filter.connection) {
    where.push(eq(deliveries.connectorId, filter.connection.connectorId));
    where.push(eq(deliveries.connectionOwnerId, filter.connection.connectionOwnerId));
  }
  if (filter.key) where.push(eq(deliveries.idempotencyKey, filter.key));
  if (filter.resource) where.push(eq(deliveries.resourceId, filter.resource));
  const from = dateBound(filter.from, "start");
  const to = dateBound(filter.to, "end");
  if (from !== undefined) where.push(gte(deliveries.receivedAt, from));
  if (to !== undefined) where.push(lte(deliveries.receivedAt, to));
  return where;
}

/** The log, newest first, one keyset page at a time (`nextCursor` null on the last page). */
export function listDeliveries(
  db: AppDatabase,
  filter: DeliveryFilter,
): { data: DeliverySummary[]; nextCursor: string | null } {
  const where = conditions(filter);
  if (filter.cursor !== undefined) where.push(lt(deliveries.id, filter.cursor));
  const rows = db
    .select(summaryColumns)
    .from(deliveries)
    .where(and(...where))
    .orderBy(desc(deliveries.id))
    .limit(filter.limit + 1)
    .all();
  const page = rows.slice(0, filter.limit);
  const nextCursor = rows.length > filter.limit ? encodeCursor(page[page.length - 1].id) : null;
  return { data: page.map(toSummary), nextCursor };
}

/** How many deliveries per outcome match the filter's other conditions (the outcome chips). */
export function countDeliveriesByOutcome(
  db: AppDatabase,
  filter: DeliveryFilter,
): Partial<Record<DeliveryOutcome, number>> {
  const rows = db
    .select({ outcome: deliveries.outcome, n: count() })
    .from(deliveries)
    .where(and(...conditions(filter, "outcome")))
    .groupBy(deliveries.outcome)
    .all();
  return Object.fromEntries(rows.map((row) => [row.outcome, row.n]));
}

/** The distinct events and connections seen, for the filter form's choices. */
export function deliveryFilterChoices(db: AppDatabase) {
  const events = db
    .selectDistinct({ event: deliveries.event })
    .from(deliveries)
    .orderBy(deliveries.event)
    .limit(100)
    .all()
    .flatMap((row) => (row.event ? [row.event] : []));
  const connections = db
    .selectDistinct({
      connectorId: deliveries.connectorId,
      connectionOwnerId: deliveries.connectionOwnerId,
    })
    .from(deliveries)
    .limit(100)
    .all()
    .flatMap((row) =>
      row.connectorId && row.connectionOwnerId
        ? [`${row.connectorId}:${row.connectionOwnerId}`]
        : [],
    )
    .sort();
  return { events, connections };
}

/**
 * The deliveries that touched one engagement, oldest first, with the repeats of those (which
 * replay a response and so carry no engagement of their own). For its detail page.
 */
export function listDeliveriesForEngagement(
  db: AppDatabase,
  engagementId: number,
  limit = 200,
): DeliverySummary[] {
  const touching = db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(eq(deliveries.engagementId, engagementId));
  return db
    .select(summaryColumns)
    .from(deliveries)
    .where(
      or(
        eq(deliveries.engagementId, engagementId),
        inArray(deliveries.originalDeliveryId, touching),
      ),
    )
    .orderBy(asc(deliveries.id))
    .limit(limit)
    .all()
    .map(toSummary);
}

/** One delivery whole, with the original it repeats and the engagement it touched; null if unknown. */
export function getDelivery(db: AppDatabase, id: number): DeliveryDetail | null {
  const row = db.select().from(deliveries).where(eq(deliveries.id, id)).get();
  if (!row) return null;
  const summaryOf = (deliveryId: number) => {
    const found = db
      .select(summaryColumns)
      .from(deliveries)
      .where(eq(deliveries.id, deliveryId))
      .get();
    return found ? toSummary(found) : null;
  };
  const repeats = db
    .select(summaryColumns)
    .from(deliveries)
    .where(eq(deliveries.originalDeliveryId, row.id))
    .orderBy(deliveries.id)
    .limit(100)
    .all()
    .map(toSummary);
  const engagement =
    row.engagementId === null
      ? undefined
      : db
          .select({
            id: engagements.id,
            externalId: engagements.externalId,
            title: engagements.title,
            type: engagements.type,
            deletedAt: engagements.deletedAt,
          })
          .from(engagements)
          .where(eq(engagements.id, row.engagementId))
          .get();

  const { headers, body, responseBody, bodyHash, ...summary } = row;
  void bodyHash;
  return {
    ...toSummary(summary),
    headers,
    body,
    response: deliveryResponseBody({ responseBody, body, httpStatus: row.httpStatus }),
    original: row.originalDeliveryId === null ? null : summaryOf(row.originalDeliveryId),
    repeats,
    engagement: engagement ? { ...engagement, deletedAt: iso(engagement.deletedAt) } : null,
  };
}
