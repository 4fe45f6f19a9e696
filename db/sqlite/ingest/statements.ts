import type Database from "better-sqlite3";
import type { NewDelivery, NewEngagement, NewRecord, RecordModel, RefRole } from "@/db/schema";
import type { AppDatabase } from "../client";
import { historyStatements } from "./history-statements";

/**
 * The ingest path's statements: plain better-sqlite3, prepared once per connection. Drizzle's
 * prepared queries cost ~20 µs more per delivery in parameter mapping (docs/benchmarks.md).
 * JSON columns are stringified here as Drizzle's `mode: "json"` would.
 */
type Params = Record<string, unknown>;

const toJson = (value: unknown) =>
  value === null || value === undefined ? null : JSON.stringify(value);

/**
 * Named parameters in the SQL (`@name`), bound by position: better-sqlite3 looks each named
 * parameter up through V8's slow property path, which costs more than the rest of the binding.
 */
export function prepare<P extends Params, R = never>(
  sqlite: Database.Database,
  source: string,
  jsonColumns: readonly (keyof P & string)[] = [],
) {
  const names = Array.from(source.matchAll(/@(\w+)/g), (match) => match[1]!);
  const statement = sqlite.prepare(source.replace(/@\w+/g, "?"));
  // One generated call per statement, `statement.run(p.a, json(p.b))`: each read is then a
  // fixed property of one object shape, which V8 inlines; a loop over the names is ~40 µs
  // slower per delivery (about 9 %). The names are \w+ from the SQL.
  const args = names.map((name) =>
    (jsonColumns as readonly string[]).includes(name) ? `json(p.${name})` : `p.${name}`,
  );
  const bind = (method: "get" | "run") =>
    new Function("statement", "json", `return (p) => statement.${method}(${args.join(", ")});`)(
      statement,
      toJson,
    );
  return {
    get: bind("get") as (params: P) => R | undefined,
    run: bind("run") as (params: P) => Database.RunResult,
  };
}

type Scope = { connectorId: string; connectionOwnerId: string };
/** A key binds per resource: (connector, owner, key, model, resource id). */
type KeyScope = Scope & { key: string; model: string; resourceId: string };
type Versioned = { id: number; updatedAt: number; deletedAt: number | null; contentHash: string };

/** Every column a log row is written with (named parameters must all be present). */
type DeliveryRow = Required<Omit<NewDelivery, "id" | "repeatCount" | "lastRepeatAt">>;

type EngagementValues = Required<
  Omit<NewEngagement, "id" | "connectorId" | "connectionOwnerId" | "externalId">
>;

type RecordValues = Required<
  Omit<NewRecord, "id" | "connectorId" | "connectionOwnerId" | "model" | "externalId">
>;

type Tombstone = { id: number; deletedAt: number; updatedAt: number; ingestedAt: number };

const ENGAGEMENT_JSON = ["fields", "warnings"] as const;

/** The idempotency keys and the log. */
function deliveryStatements(sqlite: Database.Database) {
  return {
    // The key's binding for this resource first, else any other: whether it was reused.
    findKey: prepare<
      KeyScope,
      {
        bodyHash: string;
        deliveryId: number;
        responseStatus: number;
        responseBody: string;
        sameResource: number;
      }
    >(
      sqlite,
      `SELECT body_hash AS bodyHash, delivery_id AS deliveryId, response_status AS responseStatus,
              response_body AS responseBody,
              (model = @model AND resource_id = @resourceId) AS sameResource
         FROM idempotency_keys
        WHERE connector_id = @connectorId AND connection_owner_id = @connectionOwnerId AND key = @key
        ORDER BY sameResource DESC
        LIMIT 1`,
    ),
    bindKey: prepare<
      KeyScope & {
        bodyHash: string;
        deliveryId: number;
        responseStatus: number;
        responseBody: string;
        createdAt: number;
      }
    >(
      sqlite,
      `INSERT INTO idempotency_keys
         (connector_id, connection_owner_id, key, model, resource_id, body_hash, delivery_id,
          response_status, response_body, created_at)
       VALUES (@connectorId, @connectionOwnerId, @key, @model, @resourceId, @bodyHash, @deliveryId,
          @responseStatus, @responseBody, @createdAt)`,
    ),
    insertDelivery: prepare<DeliveryRow, { id: number }>(
      sqlite,
      `INSERT INTO deliveries
         (received_at, connector_id, connection_owner_id, idempotency_key, event, model, resource_id,
          engagement_id, outcome, http_status, error, warnings, duration_ms, body, body_hash, body_bytes,
          headers, response_body, original_delivery_id)
       VALUES (@receivedAt, @connectorId, @connectionOwnerId, @idempotencyKey, @event, @model, @resourceId,
          @engagementId, @outcome, @httpStatus, @error, @warnings, @durationMs, @body, @bodyHash, @bodyBytes,
          @headers, @responseBody, @originalDeliveryId)
       RETURNING id`,
      ["error", "warnings", "headers"],
    ),
    countRepeat: prepare<{ id: number; at: number }>(
      sqlite,
      `UPDATE deliveries SET repeat_count = repeat_count + 1, last_repeat_at = @at WHERE id = @id`,
    ),
  };
}

function engagementStatements(sqlite: Database.Database) {
  return {
    findEngagement: prepare<Scope & { externalId: string }, Versioned>(
      sqlite,
      `SELECT id, updated_at AS updatedAt, deleted_at AS deletedAt, content_hash AS contentHash
         FROM engagements
        WHERE connector_id = @connectorId AND connection_owner_id = @connectionOwnerId
          AND external_id = @externalId`,
    ),
    insertEngagement: prepare<Scope & { externalId: string } & EngagementValues, { id: number }>(
      sqlite,
      `INSERT INTO engagements
         (connector_id, connection_owner_id, external_id, type, direction, status, title, description,
          started_at, ended_at, duration, owner_id, created_at, updated_at, deleted_at, fields, warnings,
          content_hash, ingested_at)
       VALUES (@connectorId, @connectionOwnerId, @externalId, @type, @direction, @status, @title, @description,
          @startedAt, @endedAt, @duration, @ownerId, @createdAt, @updatedAt, @deletedAt, @fields, @warnings,
          @contentHash, @ingestedAt)
       RETURNING id`,
      ENGAGEMENT_JSON,
    ),
    updateEngagement: prepare<{ id: number } & EngagementValues>(
      sqlite,
      `UPDATE engagements
          SET type = @type, direction = @direction, status = @status, title = @title,
              description = @description, started_at = @startedAt, ended_at = @endedAt,
              duration = @duration, owner_id = @ownerId, created_at = @createdAt,
              updated_at = @updatedAt, deleted_at = @deletedAt, fields = @fields,
              warnings = @warnings, content_hash = @contentHash, ingested_at = @ingestedAt
        WHERE id = @id`,
      ENGAGEMENT_JSON,
    ),
    tombstoneEngagement: prepare<Tombstone>(
      sqlite,
      `UPDATE engagements SET deleted_at = @deletedAt, updated_at = @updatedAt, ingested_at = @ingestedAt
        WHERE id = @id`,
    ),
    deleteRefs: prepare<{ engagementId: number }>(
      sqlite,
      `DELETE FROM engagement_refs WHERE engagement_id = @engagementId`,
    ),
    insertRef: prepare<{
      engagementId: number;
      role: RefRole;
      refId: string;
      position: number;
      startedAt: number;
    }>(
      sqlite,
      `INSERT INTO engagement_refs (engagement_id, role, ref_id, position, started_at)
       VALUES (@engagementId, @role, @refId, @position, @startedAt)`,
    ),
  };
}

function recordStatements(sqlite: Database.Database) {
  return {
    findRecord: prepare<Scope & { model: RecordModel; externalId: string }, Versioned>(
      sqlite,
      `SELECT id, updated_at AS updatedAt, deleted_at AS deletedAt, content_hash AS contentHash
         FROM records
        WHERE connector_id = @connectorId AND connection_owner_id = @connectionOwnerId
          AND model = @model AND external_id = @externalId`,
    ),
    insertRecord: prepare<Scope & { model: RecordModel; externalId: string } & RecordValues>(
      sqlite,
      `INSERT INTO records
         (connector_id, connection_owner_id, model, external_id, name, email, phone, fields, warnings,
          created_at, updated_at, deleted_at, content_hash, ingested_at)
       VALUES (@connectorId, @connectionOwnerId, @model, @externalId, @name, @email, @phone, @fields, @warnings,
          @createdAt, @updatedAt, @deletedAt, @contentHash, @ingestedAt)`,
      ENGAGEMENT_JSON,
    ),
    updateRecord: prepare<{ id: number } & RecordValues>(
      sqlite,
      `UPDATE records
          SET name = @name, email = @email, phone = @phone, fields = @fields, warnings = @warnings,
              created_at = @createdAt, updated_at = @updatedAt, deleted_at = @deletedAt,
              content_hash = @contentHash, ingested_at = @ingestedAt
        WHERE id = @id`,
      ENGAGEMENT_JSON,
    ),
    tombstoneRecord: prepare<Tombstone>(
      sqlite,
      `UPDATE records SET deleted_at = @deletedAt, updated_at = @updatedAt, ingested_at = @ingestedAt
        WHERE id = @id`,
    ),
  };
}

function buildStatements(sqlite: Database.Database) {
  return {
    ...deliveryStatements(sqlite),
    ...engagementStatements(sqlite),
    ...recordStatements(sqlite),
    ...historyStatements(sqlite),
  };
}

export type IngestStatements = ReturnType<typeof buildStatements>;

const cache = new WeakMap<AppDatabase, IngestStatements>();

export function statementsFor(db: AppDatabase): IngestStatements {
  let statements = cache.get(db);
  if (!statements) {
    statements = buildStatements(db.$client);
    cache.set(db, statements);
  }
  return statements;
}
