import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  json,
  pgTable,
  primaryKey,
  smallint,
  text,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { StoredChanges } from "../history";
import type { DeliveryOutcome, RecordModel, RefRole, StoredEngagementFields } from "../models";

/**
 * The PostgreSQL tables. JSON columns are `json`, not `jsonb`: kept as the text received, so
 * `fields`, headers and errors read back in their own key order, as on SQLite. Every unique key leads with (connector_id, connection_owner_id), the
 * column pair a distributed PostgreSQL would shard by (docs/architecture.md). Instants are epoch
 * ms in bigint, as on SQLite, so rules and cursors are the same numbers on both engines.
 */

const ms = (name: string) => bigint(name, { mode: "number" });

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const engagements = pgTable(
  "engagements",
  {
    id: bigint("id", { mode: "number" }).generatedByDefaultAsIdentity(),
    connectorId: text("connector_id").notNull(),
    connectionOwnerId: text("connection_owner_id").notNull(),
    externalId: text("external_id").notNull(),
    type: text("type"),
    direction: text("direction"),
    status: text("status"),
    title: text("title"),
    description: text("description"),
    startedAt: ms("started_at").notNull(),
    endedAt: ms("ended_at"),
    duration: bigint("duration", { mode: "number" }),
    ownerId: text("owner_id"),
    createdAt: ms("created_at"),
    updatedAt: ms("updated_at").notNull(),
    deletedAt: ms("deleted_at"),
    fields: json("fields").$type<StoredEngagementFields>().notNull(),
    warnings: json("warnings").$type<string[]>().notNull(),
    contentHash: text("content_hash").notNull(),
    ingestedAt: ms("ingested_at").notNull(),
    // 'simple': lowercased words, no stemming, as SQLite's unicode61 (docs/api.md says where they differ).
    search: tsvector("search").generatedAlwaysAs(
      sql`to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(description, ''))`,
    ),
  },
  (t) => [
    primaryKey({ columns: [t.connectorId, t.connectionOwnerId, t.id] }),
    uniqueIndex("engagements_identity").on(t.connectorId, t.connectionOwnerId, t.externalId),
    index("engagements_id").on(t.id),
    // Every column a filter tests or a facet counts (as on SQLite): walks and the chart's day
    // counts read the index alone, not the table.
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
    index("engagements_connection_started").on(
      t.connectorId,
      t.connectionOwnerId,
      t.startedAt,
      t.id,
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
    index("engagements_deleted_started")
      .on(t.startedAt, t.id)
      .where(sql`${t.deletedAt} is not null`),
    index("engagements_search").using("gin", t.search),
  ],
);

/**
 * How many engagements hold each (connection, owner, type, status, direction, deleted), kept by
 * triggers in the writer's transaction (db/pg/migrations, `engagement_counts_triggers`). A group
 * is spread over `slot` rows (the writer's backend pid mod 8), so concurrent writers of one
 * group rarely wait on one row's lock until COMMIT; readers sum the slots.
 */
export const engagementCounts = pgTable(
  "engagement_counts",
  {
    connectorId: text("connector_id").notNull(),
    connectionOwnerId: text("connection_owner_id").notNull(),
    ownerId: text("owner_id"),
    type: text("type"),
    status: text("status"),
    direction: text("direction"),
    deleted: boolean("deleted").notNull(),
    slot: smallint("slot").notNull(),
    /** This slot's share: negative where it took away what another slot added. */
    n: integer("n").notNull(),
  },
  (t) => [
    // NULLS NOT DISTINCT: a group without an owner (or type …) is one group, not one per write.
    unique("engagement_counts_key")
      .on(
        t.connectorId,
        t.connectionOwnerId,
        t.ownerId,
        t.type,
        t.status,
        t.direction,
        t.deleted,
        t.slot,
      )
      .nullsNotDistinct(),
  ],
);

/** An engagement's references, with its startedAt copied in: a record's timeline is one index walk. */
export const engagementRefs = pgTable(
  "engagement_refs",
  {
    connectorId: text("connector_id").notNull(),
    connectionOwnerId: text("connection_owner_id").notNull(),
    engagementId: bigint("engagement_id", { mode: "number" }).notNull(),
    role: text("role").$type<RefRole>().notNull(),
    refId: text("ref_id").notNull(),
    position: integer("position").notNull(),
    startedAt: ms("started_at").notNull(),
  },
  (t) => [
    primaryKey({
      columns: [t.connectorId, t.connectionOwnerId, t.engagementId, t.role, t.refId],
    }),
    index("engagement_refs_lookup").on(t.role, t.refId, t.startedAt, t.engagementId),
  ],
);

/**
 * Each applied version of an engagement, as what it changed (db/history.ts), written in the
 * delivery's transaction; kept when raw bodies are pruned. Keyed, as every table an
 * engagement's delivery writes, by its connection first.
 */
export const engagementHistory = pgTable(
  "engagement_history",
  {
    connectorId: text("connector_id").notNull(),
    connectionOwnerId: text("connection_owner_id").notNull(),
    engagementId: bigint("engagement_id", { mode: "number" }).notNull(),
    /** 1, 2, 3 … in the order applied. */
    version: integer("version").notNull(),
    /** The delivery that made it; null for versions no delivery made (seeded, upgraded). */
    deliveryId: bigint("delivery_id", { mode: "number" }),
    receivedAt: ms("received_at").notNull(),
    event: text("event"),
    updatedAt: ms("updated_at").notNull(),
    changes: json("changes").$type<StoredChanges>().notNull(),
  },
  (t) => [
    primaryKey({
      columns: [t.connectorId, t.connectionOwnerId, t.engagementId, t.version],
    }),
  ],
);

export const records = pgTable(
  "records",
  {
    id: bigint("id", { mode: "number" }).generatedByDefaultAsIdentity(),
    connectorId: text("connector_id").notNull(),
    connectionOwnerId: text("connection_owner_id").notNull(),
    model: text("model").$type<RecordModel>().notNull(),
    externalId: text("external_id").notNull(),
    name: text("name"),
    email: text("email"),
    phone: text("phone"),
    fields: json("fields").$type<Record<string, unknown>>().notNull(),
    warnings: json("warnings").$type<string[]>().notNull(),
    createdAt: ms("created_at"),
    updatedAt: ms("updated_at").notNull(),
    deletedAt: ms("deleted_at"),
    contentHash: text("content_hash").notNull(),
    ingestedAt: ms("ingested_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.connectorId, t.connectionOwnerId, t.id] }),
    uniqueIndex("records_identity").on(t.connectorId, t.connectionOwnerId, t.model, t.externalId),
    index("records_model_name").on(t.model, t.name),
    index("records_lookup").on(t.model, t.externalId),
  ],
);

/**
 * The references an opportunity's own `companies` and `contacts` lists hold, kept from `records.fields`
 * by triggers (migration 0006), so a company finds its opportunities with one index probe.
 */
export const recordRefs = pgTable(
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

/**
 * The idempotency log. A refused request may carry no connection, so rows are keyed by id alone;
 * distributed, this table would be sharded by id (docs/architecture.md).
 */
export const deliveries = pgTable(
  "deliveries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    receivedAt: ms("received_at").notNull(),
    connectorId: text("connector_id"),
    connectionOwnerId: text("connection_owner_id"),
    idempotencyKey: text("idempotency_key"),
    event: text("event"),
    model: text("model"),
    resourceId: text("resource_id"),
    engagementId: bigint("engagement_id", { mode: "number" }),
    outcome: text("outcome").$type<DeliveryOutcome>().notNull(),
    httpStatus: integer("http_status").notNull(),
    error: json("error").$type<{ code: string; message: string; details?: unknown }>(),
    warnings: json("warnings").$type<string[]>().notNull(),
    /** Processing time in fractions of a millisecond. */
    durationMs: doublePrecision("duration_ms").notNull(),
    body: text("body"),
    bodyHash: text("body_hash"),
    bodyBytes: integer("body_bytes"),
    headers: json("headers").$type<Record<string, string>>().notNull(),
    responseBody: text("response_body"),
    repeatCount: integer("repeat_count").notNull().default(0),
    lastRepeatAt: ms("last_repeat_at"),
    originalDeliveryId: bigint("original_delivery_id", { mode: "number" }),
  },
  (t) => [
    index("deliveries_key").on(t.idempotencyKey),
    index("deliveries_resource").on(t.resourceId),
    index("deliveries_engagement").on(t.engagementId, t.id),
    index("deliveries_outcome").on(t.outcome, t.id),
    index("deliveries_received").on(t.receivedAt),
    // One connection's deliveries by time: the connections page's last arrival and per-day counts.
    index("deliveries_connection").on(t.connectorId, t.connectionOwnerId, t.receivedAt, t.outcome),
  ],
);

/**
 * Keys bound by their first accepted delivery, per resource (SPEC §2): a key reused for another
 * resource binds again. `model` and `resource_id` are '' for a delivery that names no resource.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    connectorId: text("connector_id").notNull(),
    connectionOwnerId: text("connection_owner_id").notNull(),
    key: text("key").notNull(),
    model: text("model").notNull().default(""),
    resourceId: text("resource_id").notNull().default(""),
    bodyHash: text("body_hash").notNull(),
    deliveryId: bigint("delivery_id", { mode: "number" }).notNull(),
    responseStatus: integer("response_status").notNull(),
    responseBody: text("response_body").notNull(),
    createdAt: ms("created_at")
      .notNull()
      .default(sql`(extract(epoch from now()) * 1000)::bigint`),
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
export const sessions = pgTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    createdAt: ms("created_at").notNull(),
    expiresAt: ms("expires_at").notNull(),
    passwordTag: text("password_tag").notNull(),
  },
  (t) => [index("sessions_expires").on(t.expiresAt)],
);

/** Values every process must share: the generated webhook secret and UI password. */
export const settings = pgTable("settings", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
});
