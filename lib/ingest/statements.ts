import { and, eq, sql } from "drizzle-orm";
import type { AppDatabase } from "@/db/client";
import { deliveries, engagementRefs, engagements, idempotencyKeys, records } from "@/db/schema";

const p = sql.placeholder;
/** Drizzle types `.set()` without placeholders, but binds and JSON-encodes them like `.values()`. */
const setTo = (name: string) => sql.placeholder(name) as never;

/**
 * The ingest hot path's statements, built once per database: rebuilding Drizzle queries per
 * request costs about half the throughput (see docs/benchmarks.md).
 */
function buildStatements(db: AppDatabase) {
  return {
    findKey: db
      .select()
      .from(idempotencyKeys)
      .where(
        and(
          eq(idempotencyKeys.connectorId, p("connectorId")),
          eq(idempotencyKeys.connectionOwnerId, p("connectionOwnerId")),
          eq(idempotencyKeys.key, p("key")),
        ),
      )
      .prepare(),
    bindKey: db
      .insert(idempotencyKeys)
      .values({
        connectorId: p("connectorId"),
        connectionOwnerId: p("connectionOwnerId"),
        key: p("key"),
        bodyHash: p("bodyHash"),
        deliveryId: p("deliveryId"),
        responseStatus: p("responseStatus"),
        responseBody: p("responseBody"),
        createdAt: p("createdAt"),
      })
      .prepare(),
    insertDelivery: db
      .insert(deliveries)
      .values({
        receivedAt: p("receivedAt"),
        connectorId: p("connectorId"),
        connectionOwnerId: p("connectionOwnerId"),
        idempotencyKey: p("idempotencyKey"),
        event: p("event"),
        model: p("model"),
        resourceId: p("resourceId"),
        engagementId: p("engagementId"),
        outcome: p("outcome"),
        httpStatus: p("httpStatus"),
        error: p("error"),
        warnings: p("warnings"),
        durationMs: p("durationMs"),
        body: p("body"),
        bodyHash: p("bodyHash"),
        bodyBytes: p("bodyBytes"),
        headers: p("headers"),
        responseBody: p("responseBody"),
        originalDeliveryId: p("originalDeliveryId"),
      })
      .returning({ id: deliveries.id })
      .prepare(),
    countRepeat: db
      .update(deliveries)
      .set({ repeatCount: sql`${deliveries.repeatCount} + 1`, lastRepeatAt: setTo("at") })
      .where(eq(deliveries.id, p("id")))
      .prepare(),
    findEngagement: db
      .select({
        id: engagements.id,
        updatedAt: engagements.updatedAt,
        deletedAt: engagements.deletedAt,
        contentHash: engagements.contentHash,
      })
      .from(engagements)
      .where(
        and(
          eq(engagements.connectorId, p("connectorId")),
          eq(engagements.connectionOwnerId, p("connectionOwnerId")),
          eq(engagements.externalId, p("externalId")),
        ),
      )
      .prepare(),
    insertEngagement: db
      .insert(engagements)
      .values({
        connectorId: p("connectorId"),
        connectionOwnerId: p("connectionOwnerId"),
        externalId: p("externalId"),
        type: p("type"),
        direction: p("direction"),
        status: p("status"),
        title: p("title"),
        description: p("description"),
        startedAt: p("startedAt"),
        endedAt: p("endedAt"),
        duration: p("duration"),
        ownerId: p("ownerId"),
        createdAt: p("createdAt"),
        updatedAt: p("updatedAt"),
        deletedAt: p("deletedAt"),
        fields: p("fields"),
        warnings: p("warnings"),
        contentHash: p("contentHash"),
        ingestedAt: p("ingestedAt"),
      })
      .returning({ id: engagements.id })
      .prepare(),
    updateEngagement: db
      .update(engagements)
      .set({
        type: setTo("type"),
        direction: setTo("direction"),
        status: setTo("status"),
        title: setTo("title"),
        description: setTo("description"),
        startedAt: setTo("startedAt"),
        endedAt: setTo("endedAt"),
        duration: setTo("duration"),
        ownerId: setTo("ownerId"),
        createdAt: setTo("createdAt"),
        updatedAt: setTo("updatedAt"),
        deletedAt: setTo("deletedAt"),
        fields: setTo("fields"),
        warnings: setTo("warnings"),
        contentHash: setTo("contentHash"),
        ingestedAt: setTo("ingestedAt"),
      })
      .where(eq(engagements.id, p("id")))
      .prepare(),
    tombstoneEngagement: db
      .update(engagements)
      .set({
        deletedAt: setTo("deletedAt"),
        updatedAt: setTo("updatedAt"),
        ingestedAt: setTo("ingestedAt"),
      })
      .where(eq(engagements.id, p("id")))
      .prepare(),
    deleteRefs: db
      .delete(engagementRefs)
      .where(eq(engagementRefs.engagementId, p("engagementId")))
      .prepare(),
    insertRef: db
      .insert(engagementRefs)
      .values({
        engagementId: p("engagementId"),
        role: p("role"),
        refId: p("refId"),
        position: p("position"),
        startedAt: p("startedAt"),
      })
      .prepare(),
    findRecord: db
      .select({
        id: records.id,
        updatedAt: records.updatedAt,
        deletedAt: records.deletedAt,
        contentHash: records.contentHash,
      })
      .from(records)
      .where(
        and(
          eq(records.connectorId, p("connectorId")),
          eq(records.connectionOwnerId, p("connectionOwnerId")),
          eq(records.model, p("model")),
          eq(records.externalId, p("externalId")),
        ),
      )
      .prepare(),
    insertRecord: db
      .insert(records)
      .values({
        connectorId: p("connectorId"),
        connectionOwnerId: p("connectionOwnerId"),
        model: p("model"),
        externalId: p("externalId"),
        name: p("name"),
        email: p("email"),
        phone: p("phone"),
        fields: p("fields"),
        warnings: p("warnings"),
        createdAt: p("createdAt"),
        updatedAt: p("updatedAt"),
        deletedAt: p("deletedAt"),
        contentHash: p("contentHash"),
        ingestedAt: p("ingestedAt"),
      })
      .returning({ id: records.id })
      .prepare(),
    updateRecord: db
      .update(records)
      .set({
        name: setTo("name"),
        email: setTo("email"),
        phone: setTo("phone"),
        fields: setTo("fields"),
        warnings: setTo("warnings"),
        createdAt: setTo("createdAt"),
        updatedAt: setTo("updatedAt"),
        deletedAt: setTo("deletedAt"),
        contentHash: setTo("contentHash"),
        ingestedAt: setTo("ingestedAt"),
      })
      .where(eq(records.id, p("id")))
      .prepare(),
    tombstoneRecord: db
      .update(records)
      .set({
        deletedAt: setTo("deletedAt"),
        updatedAt: setTo("updatedAt"),
        ingestedAt: setTo("ingestedAt"),
      })
      .where(eq(records.id, p("id")))
      .prepare(),
  };
}

export type IngestStatements = ReturnType<typeof buildStatements>;

const cache = new WeakMap<AppDatabase, IngestStatements>();

export function statementsFor(db: AppDatabase): IngestStatements {
  let statements = cache.get(db);
  if (!statements) {
    statements = buildStatements(db);
    cache.set(db, statements);
  }
  return statements;
}
