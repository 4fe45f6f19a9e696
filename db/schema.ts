import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import type { StoredChanges } from "./history";
import type { DeliveryOutcome, RecordModel, RefRole, StoredEngagementFields } from "./models";

export { DELIVERY_OUTCOMES, RECORD_MODELS, REF_ROLES } from "./models";
export type { DeliveryOutcome, RecordModel, RefRole, StoredEngagementFields } from "./models";

/** Engagements; identity is (connector, connection owner, external id), `id` is ours, for URLs. */
export const engagements = sqliteTable(
  "engagements",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    connectorId: text("connector_id").notNull(),
    connectionOwnerId: text("connection_owner_id").notNull(),
    externalId: text("external_id").notNull(),
    type: text("type"),
    direction: text("direction"),
    status: text("status"),
    title: text("title"),
    description: text("description"),
    /** Epoch ms used for sorting and date filters: startedAt, else createdAt, else receipt time. */
    startedAt: integer("started_at").notNull(),
    endedAt: integer("ended_at"),
    duration: integer("duration"),
    ownerId: text("owner_id"),
    createdAt: integer("created_at"),
    /** Morph's `data.updatedAt` (epoch ms): the version that decides which snapshot wins. */
    updatedAt: integer("updated_at").notNull(),
    deletedAt: integer("deleted_at"),
    /** The snapshot's `fields` as received, less what the columns hold (db/fields-codec.ts). */
    fields: text("fields", { mode: "json" }).$type<StoredEngagementFields>().notNull(),
    warnings: text("warnings", { mode: "json" }).$type<string[]>().notNull(),
    /** Hash of the applied snapshot: an identical redelivery is `unchanged` and writes nothing. */
    contentHash: text("content_hash").notNull(),
    ingestedAt: integer("ingested_at").notNull(),
  },
  (t) => [
    uniqueIndex("engagements_identity").on(t.connectorId, t.connectionOwnerId, t.externalId),
    // Every column a filter tests or a facet counts: walks read the index, not the table.
    index("engagements_started").on(
      t.startedAt,
      t.id,
      t.type,
      t.status,
      t.direction,
      t.ownerId,
      t.deletedAt,
      t.connectorId,
      t.connectionOwnerId,
    ),
    // One owner's date order, with the facet columns (owner + type / dates counts and facets).
    index("engagements_owner_started").on(
      t.ownerId,
      t.startedAt,
      t.id,
      t.type,
      t.status,
      t.direction,
      t.deletedAt,
    ),
    // Tombstones only (few): "deleted only" pages, and what hidden-deleted counts subtract.
    index("engagements_deleted_started")
      .on(t.startedAt, t.id)
      .where(sql`${t.deletedAt} is not null`),
  ],
);

/**
 * Engagements per combination of connection, owner, type, status, direction and tombstone, so
 * counts sum a few thousand rows. Kept by triggers, with its unique key on
 * `ifnull('v' || col, 'n')`, in migration 0004 (drizzle-kit cannot write either).
 */
export const engagementCounts = sqliteTable("engagement_counts", {
  connectorId: text("connector_id").notNull(),
  connectionOwnerId: text("connection_owner_id").notNull(),
  ownerId: text("owner_id"),
  type: text("type"),
  status: text("status"),
  direction: text("direction"),
  /** 1 for tombstones (`deleted_at` set), else 0. */
  deleted: integer("deleted").notNull(),
  n: integer("n").notNull(),
});

/** An engagement's references, with its startedAt copied in: a record's timeline is one index walk. */
export const engagementRefs = sqliteTable(
  "engagement_refs",
  {
    engagementId: integer("engagement_id")
      .notNull()
      .references(() => engagements.id, { onDelete: "cascade" }),
    role: text("role").$type<RefRole>().notNull(),
    refId: text("ref_id").notNull(),
    position: integer("position").notNull(),
    startedAt: integer("started_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.engagementId, t.role, t.refId] }),
    index("engagement_refs_lookup").on(t.role, t.refId, t.startedAt, t.engagementId),
  ],
);

/**
 * Each applied version of an engagement, as what it changed (db/history.ts), written in the
 * delivery's transaction. Raw bodies are pruned; this is kept for as long as the engagement.
 */
export const engagementHistory = sqliteTable(
  "engagement_history",
  {
    engagementId: integer("engagement_id")
      .notNull()
      .references(() => engagements.id, { onDelete: "cascade" }),
    /** 1, 2, 3 … in the order applied. */
    version: integer("version").notNull(),
    /** The delivery that made it; null for versions no delivery made (seeded, upgraded). */
    deliveryId: integer("delivery_id"),
    receivedAt: integer("received_at").notNull(),
    event: text("event"),
    updatedAt: integer("updated_at").notNull(),
    changes: text("changes", { mode: "json" }).$type<StoredChanges>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.engagementId, t.version] })],
);

/** Users, contacts, companies and opportunities: what engagement references resolve to. */
export const records = sqliteTable(
  "records",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    connectorId: text("connector_id").notNull(),
    connectionOwnerId: text("connection_owner_id").notNull(),
    model: text("model").$type<RecordModel>().notNull(),
    externalId: text("external_id").notNull(),
    /** Display name derived at write time (full name, else email; company / deal name). */
    name: text("name"),
    email: text("email"),
    phone: text("phone"),
    fields: text("fields", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    warnings: text("warnings", { mode: "json" }).$type<string[]>().notNull(),
    createdAt: integer("created_at"),
    updatedAt: integer("updated_at").notNull(),
    deletedAt: integer("deleted_at"),
    contentHash: text("content_hash").notNull(),
    ingestedAt: integer("ingested_at").notNull(),
  },
  (t) => [
    uniqueIndex("records_identity").on(t.connectorId, t.connectionOwnerId, t.model, t.externalId),
    index("records_model_name").on(t.model, t.name),
    index("records_lookup").on(t.model, t.externalId),
  ],
);

/**
 * The references an opportunity's own `companies` and `contacts` lists hold, kept from `records.fields`
 * by triggers (migration 0009), so a company finds its opportunities with one index probe.
 */
export const recordRefs = sqliteTable(
  "record_refs",
  {
    connectorId: text("connector_id").notNull(),
    connectionOwnerId: text("connection_owner_id").notNull(),
    model: text("model").$type<RecordModel>().notNull(),
    externalId: text("external_id").notNull(),
    role: text("role").$type<RefRole>().notNull(),
    refId: text("ref_id").notNull(),
  },
  (t) => [
    primaryKey({
      columns: [t.connectorId, t.connectionOwnerId, t.model, t.externalId, t.role, t.refId],
    }),
    index("record_refs_lookup").on(t.role, t.refId, t.model),
  ],
);

/** The idempotency log: one row per authenticated request, written in the same transaction as its effect. */
export const deliveries = sqliteTable(
  "deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    receivedAt: integer("received_at").notNull(),
    connectorId: text("connector_id"),
    connectionOwnerId: text("connection_owner_id"),
    idempotencyKey: text("idempotency_key"),
    event: text("event"),
    model: text("model"),
    resourceId: text("resource_id"),
    /** Our engagement id when the delivery touched one, so its detail page can list it. */
    engagementId: integer("engagement_id"),
    outcome: text("outcome").$type<DeliveryOutcome>().notNull(),
    httpStatus: integer("http_status").notNull(),
    error: text("error", { mode: "json" }).$type<{
      code: string;
      message: string;
      details?: unknown;
    }>(),
    warnings: text("warnings", { mode: "json" }).$type<string[]>().notNull(),
    /** Processing time in fractions of a millisecond (a REAL; rows before 0008 hold whole numbers). */
    durationMs: real("duration_ms").notNull(),
    body: text("body"),
    bodyHash: text("body_hash"),
    bodyBytes: integer("body_bytes"),
    headers: text("headers", { mode: "json" }).$type<Record<string, string>>().notNull(),
    responseBody: text("response_body"),
    /** For the delivery that bound a key: how many times the key came back, and when last. */
    repeatCount: integer("repeat_count").notNull().default(0),
    lastRepeatAt: integer("last_repeat_at"),
    /** For a duplicate or conflict: the delivery that first bound the key. */
    originalDeliveryId: integer("original_delivery_id"),
  },
  (t) => [
    index("deliveries_key").on(t.idempotencyKey),
    index("deliveries_resource").on(t.resourceId),
    index("deliveries_engagement").on(t.engagementId, t.id),
    index("deliveries_outcome").on(t.outcome, t.id),
    // One connection's deliveries by time: the connections page's last arrival and per-day counts.
    index("deliveries_connection").on(t.connectorId, t.connectionOwnerId, t.receivedAt, t.outcome),
  ],
);

/**
 * Keys bound by their first accepted delivery, per resource (SPEC §2): a key reused for another
 * resource binds again. A repeat of the same body gets the bound response back. `model` and
 * `resource_id` are '' for a delivery that names no resource (a refused envelope).
 */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    connectorId: text("connector_id").notNull(),
    connectionOwnerId: text("connection_owner_id").notNull(),
    key: text("key").notNull(),
    model: text("model").notNull().default(""),
    resourceId: text("resource_id").notNull().default(""),
    bodyHash: text("body_hash").notNull(),
    deliveryId: integer("delivery_id").notNull(),
    responseStatus: integer("response_status").notNull(),
    responseBody: text("response_body").notNull(),
    createdAt: integer("created_at")
      .notNull()
      .default(sql`(unixepoch() * 1000)`),
  },
  (t) => [
    primaryKey({
      columns: [t.connectorId, t.connectionOwnerId, t.key, t.model, t.resourceId],
    }),
  ],
);

/**
 * UI sessions, kept server-side so every process sees a sign-out at once. The cookie carries a
 * random id; only its SHA-256 is stored. `password_tag` names the APP_PASSWORD it was made under.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    passwordTag: text("password_tag").notNull(),
  },
  (t) => [index("sessions_expires").on(t.expiresAt)],
);

export type Engagement = typeof engagements.$inferSelect;
export type NewEngagement = typeof engagements.$inferInsert;
export type RecordRow = typeof records.$inferSelect;
export type NewRecord = typeof records.$inferInsert;
export type Delivery = typeof deliveries.$inferSelect;
export type NewDelivery = typeof deliveries.$inferInsert;
