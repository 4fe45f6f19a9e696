import type pg from "pg";

/**
 * The ingest path's SQL: a few fixed statements, each prepared once per connection (named), so
 * the server parses and plans them once. Parameters are named in the SQL (`@name`) and sent by
 * position. A delivery takes BEGIN, `CLAIM`, one `WRITE` and COMMIT: four round trips.
 */

export type Statement = { name: string; text: string; names: readonly string[] };
export type Params = Record<string, unknown>;

export function defineStatement(name: string, source: string): Statement {
  const names: string[] = [];
  const text = source.replace(/@(\w+)/g, (_, param: string) => {
    if (!names.includes(param)) names.push(param);
    return `$${names.indexOf(param) + 1}`;
  });
  return { name, text, names };
}

/** A pool (one statement, its own transaction) or a client inside a transaction. */
export type Queryable = { query(config: pg.QueryConfig): Promise<pg.QueryResult> };

export async function runStatement<R>(
  client: Queryable,
  statement: Statement,
  params: Params,
): Promise<R[]> {
  const values = statement.names.map((name) => {
    if (!(name in params)) throw new Error(`${statement.name}: no value for @${name}`);
    return params[name];
  });
  const result = await client.query({ name: statement.name, text: statement.text, values });
  return result.rows as R[];
}

/** The delivery's connection, every unique key's leading columns. */
const scoped = (alias = "") =>
  `${alias}connector_id = @connectorId AND ${alias}connection_owner_id = @connectionOwnerId`;
const SCOPE = scoped();

/** The bound key's answer, as the claim and the look-up return it. */
const BOUND = `body_hash AS "bodyHash", delivery_id AS "deliveryId",
  response_status AS "responseStatus", response_body AS "responseBody"`;

/**
 * Binds the key, for this delivery's resource, to a delivery id drawn here, when `condition`
 * holds and no one bound it first.
 */
const bindKey = (condition: string) => `INSERT INTO idempotency_keys
       (connector_id, connection_owner_id, key, model, resource_id, body_hash, delivery_id,
        response_status, response_body, created_at)
     SELECT @connectorId::text, @connectionOwnerId::text, @key::text, @keyModel::text,
            @keyResourceId::text, @bodyHash::text, nextval('deliveries_id_seq'), 200,
            @rawBody::text, @receivedAt::bigint
      WHERE ${condition}
     ON CONFLICT DO NOTHING
     RETURNING delivery_id`;

/** A key binds per resource: (connector, owner, key, model, resource id). */
const KEY_HERE = `${SCOPE} AND key = @key AND model = @keyModel AND resource_id = @keyResourceId`;
const KEY_ELSEWHERE = `${SCOPE} AND key = @key
  AND (model <> @keyModel OR resource_id <> @keyResourceId)`;
/** Not bound for any resource: the one-statement path takes only those. */
const KEY_UNBOUND = `NOT EXISTS (SELECT FROM idempotency_keys WHERE ${SCOPE} AND key = @key)`;

/**
 * The stored version's compared fields (db/history.ts). Read under the lock, as the row the lock
 * waited for; its references are read after (stored-refs.ts): a subquery here would read them
 * as they were before the wait.
 */
const VERSION_COLUMNS = `type, direction, status, title, description, started_at AS "startedAt",
  ended_at AS "endedAt", duration, owner_id AS "ownerId"`;

/**
 * Binds the key to this delivery (no id is drawn for a plain repeat) unless it is bound
 * already for this resource, and only then locks the stored engagement and records the change
 * touches, in one order for every writer. ON CONFLICT waits for a concurrent binder of the same
 * key and resource: after its COMMIT this binds nothing, and a key bound after this statement's
 * snapshot was taken is read with `FIND_KEY`. `boundElsewhere` (a reused key) reads the snapshot:
 * two resources racing on one key may both go unwarned, but each applies once.
 */
export const CLAIM = defineStatement(
  "ingest-claim",
  `WITH claim AS (
     ${bindKey(`NOT EXISTS (SELECT FROM idempotency_keys WHERE ${KEY_HERE})`)}
   ), engagement AS (
     SELECT id, updated_at AS "updatedAt", deleted_at AS "deletedAt", content_hash AS "contentHash",
            ${VERSION_COLUMNS}
       FROM engagements
      WHERE ${SCOPE} AND external_id = @externalId::text AND EXISTS (SELECT FROM claim)
        FOR UPDATE
   ), record AS (
     SELECT r.model, r.external_id AS "externalId", r.id, r.updated_at AS "updatedAt",
            r.deleted_at AS "deletedAt", r.content_hash AS "contentHash"
       FROM records r
       JOIN unnest(@recordModels::text[], @recordIds::text[]) AS wanted(model, external_id)
         ON r.model = wanted.model AND r.external_id = wanted.external_id
      WHERE ${scoped("r.")} AND EXISTS (SELECT FROM claim)
      ORDER BY r.model, r.external_id
        FOR UPDATE OF r
   ), bound AS (
     SELECT ${BOUND} FROM idempotency_keys
      WHERE ${KEY_HERE} AND NOT EXISTS (SELECT FROM claim)
   )
   SELECT (SELECT delivery_id FROM claim) AS "deliveryId",
          EXISTS (SELECT FROM idempotency_keys WHERE ${KEY_ELSEWHERE}) AS "boundElsewhere",
          (SELECT row_to_json(engagement) FROM engagement) AS engagement,
          (SELECT coalesce(json_agg(record), '[]'::json) FROM record) AS records,
          (SELECT row_to_json(bound) FROM bound) AS bound`,
);

export const FIND_KEY = defineStatement(
  "ingest-find-key",
  `SELECT ${BOUND} FROM idempotency_keys WHERE ${KEY_HERE}`,
);

const LOG_COLUMNS = `received_at, connector_id, connection_owner_id, idempotency_key, event, model,
  resource_id, engagement_id, outcome, http_status, error, warnings, duration_ms, body, body_hash,
  body_bytes, headers, response_body, original_delivery_id`;

/** The log row's values; casts, since a SELECT list gives parameters no type of their own. */
const logValues = (engagementId: string) => `@receivedAt::bigint, @connectorId::text,
  @connectionOwnerId::text, @idempotencyKey::text, @event::text, @model::text, @resourceId::text,
  ${engagementId}, @outcome::text, @httpStatus::int, @error::json, @warnings::json,
  @durationMs::float8, @body::text, @bodyHash::text, @bodyBytes::int, @headers::json,
  @responseBody::text, @originalDeliveryId::bigint`;

/** A log row of its own: a refusal, a rejected body. */
export const LOG = defineStatement(
  "ingest-log",
  `INSERT INTO deliveries (${LOG_COLUMNS}) VALUES (${logValues("@engagementId::bigint")}) RETURNING id`,
);

/** A duplicate or conflict: the binding delivery counts it, and it gets its own log row. */
export const LOG_REPEAT = defineStatement(
  "ingest-log-repeat",
  `WITH repeat AS (
     UPDATE deliveries SET repeat_count = repeat_count + 1, last_repeat_at = @receivedAt::bigint
      WHERE id = @originalDeliveryId::bigint
   )
   INSERT INTO deliveries (${LOG_COLUMNS}) VALUES (${logValues("@engagementId::bigint")}) RETURNING id`,
);

/** Record writes decided in TypeScript, as one json array; each identity at most once. */
const RECORD_WRITES = `record_input AS (
     SELECT * FROM json_to_recordset(@records::json) AS v(op text, id bigint, model text,
       external_id text, name text, email text, phone text, fields json, warnings json,
       created_at bigint, updated_at bigint, deleted_at bigint, content_hash text, ingested_at bigint)
   ), record_insert AS (
     INSERT INTO records (connector_id, connection_owner_id, model, external_id, name, email, phone,
       fields, warnings, created_at, updated_at, deleted_at, content_hash, ingested_at)
     SELECT @connectorId::text, @connectionOwnerId::text, model, external_id, name, email, phone,
            fields, warnings, created_at, updated_at, deleted_at, content_hash, ingested_at
       FROM record_input WHERE op = 'insert' ORDER BY model, external_id
     ON CONFLICT (connector_id, connection_owner_id, model, external_id) DO NOTHING
     RETURNING 1
   ), record_update AS (
     UPDATE records r SET name = v.name, email = v.email, phone = v.phone, fields = v.fields,
            warnings = v.warnings, created_at = v.created_at, updated_at = v.updated_at,
            deleted_at = v.deleted_at, content_hash = v.content_hash, ingested_at = v.ingested_at
       FROM record_input v
      WHERE v.op = 'update' AND ${scoped("r.")} AND r.id = v.id
   ), record_tombstone AS (
     UPDATE records r SET deleted_at = v.deleted_at, updated_at = v.updated_at,
            ingested_at = v.ingested_at
       FROM record_input v
      WHERE v.op = 'tombstone' AND ${scoped("r.")} AND r.id = v.id
   )`;

const ENGAGEMENT_COLUMNS = `type, direction, status, title, description, started_at, ended_at,
  duration, owner_id, created_at, updated_at, deleted_at, fields, warnings, content_hash, ingested_at`;
const ENGAGEMENT_VALUES = `@type::text, @direction::text, @status::text, @title::text,
  @description::text, @startedAt::bigint, @endedAt::bigint, @duration::bigint, @ownerId::text,
  @createdAt::bigint, @updatedAt::bigint, @deletedAt::bigint, @fields::json, @warnings::json,
  @contentHash::text, @ingestedAt::bigint`;
const REF_INPUT = `unnest(@refRoles::text[], @refIds::text[], @refPositions::int[])
  AS r(role, ref_id, position)`;

/** A new engagement and its references, from one row of `source` (none: nothing inserted). */
const insertEngagement = (source: string) => `engagement AS (
     INSERT INTO engagements (connector_id, connection_owner_id, external_id, ${ENGAGEMENT_COLUMNS})
     SELECT @connectorId::text, @connectionOwnerId::text, @externalId::text, ${ENGAGEMENT_VALUES}
       ${source}
     ON CONFLICT (connector_id, connection_owner_id, external_id) DO NOTHING
     RETURNING id
   ), refs AS (
     INSERT INTO engagement_refs
       (connector_id, connection_owner_id, engagement_id, role, ref_id, position, started_at)
     SELECT @connectorId::text, @connectionOwnerId::text, engagement.id, r.role, r.ref_id,
            r.position, @startedAt::bigint
       FROM engagement, ${REF_INPUT}
   )`;

/**
 * The version a delivery made, when `@historyChanges` holds one (null: no version). `version`
 * is the next after the engagement's last, read under the lock the claim took on it.
 */
const historyWrite = (engagementId: string, deliveryId: string, from: string, version: string) =>
  `history AS (
     INSERT INTO engagement_history (connector_id, connection_owner_id, engagement_id, version,
       delivery_id, received_at, event, updated_at, changes)
     SELECT @connectorId::text, @connectionOwnerId::text, ${engagementId}, ${version},
            ${deliveryId}, @receivedAt::bigint, @event::text, @updatedAt::bigint, @historyChanges::json
       ${from}
      WHERE @historyChanges::json IS NOT NULL
   )`;
const NEXT_VERSION = `coalesce((SELECT max(version) FROM engagement_history
  WHERE ${SCOPE} AND engagement_id = @engagementId::bigint), 0) + 1`;
const nextVersionOf = historyWrite(
  "@engagementId::bigint",
  "@deliveryId::bigint",
  "",
  NEXT_VERSION,
);

/** What each engagement decision writes (besides records and the log row). */
const ENGAGEMENT_WRITES = {
  insert: `${insertEngagement("")}, ${historyWrite("engagement.id", "@deliveryId::bigint", "FROM engagement", "1")}`,
  // References not in the snapshot go; the others are written in place (no delete-then-insert
  // of one key, whose order inside one statement PostgreSQL does not promise).
  update: `engagement AS (
     UPDATE engagements SET (${ENGAGEMENT_COLUMNS}) = (${ENGAGEMENT_VALUES})
      WHERE ${SCOPE} AND id = @engagementId::bigint
   ), ref_input AS (
     SELECT * FROM ${REF_INPUT}
   ), refs_gone AS (
     DELETE FROM engagement_refs f
      WHERE ${scoped("f.")} AND f.engagement_id = @engagementId::bigint
        AND NOT EXISTS (SELECT FROM ref_input r WHERE r.role = f.role AND r.ref_id = f.ref_id)
   ), refs AS (
     INSERT INTO engagement_refs AS f
       (connector_id, connection_owner_id, engagement_id, role, ref_id, position, started_at)
     SELECT @connectorId::text, @connectionOwnerId::text, @engagementId::bigint, role, ref_id,
            position, @startedAt::bigint
       FROM ref_input
     ON CONFLICT (connector_id, connection_owner_id, engagement_id, role, ref_id) DO UPDATE
       SET position = excluded.position, started_at = excluded.started_at
       WHERE (f.position, f.started_at) IS DISTINCT FROM (excluded.position, excluded.started_at)
   ), ${nextVersionOf}`,
  tombstone: `engagement AS (
     UPDATE engagements SET deleted_at = @deletedAt::bigint, updated_at = @updatedAt::bigint,
            ingested_at = @ingestedAt::bigint
      WHERE ${SCOPE} AND id = @engagementId::bigint
   ), ${nextVersionOf}`,
  none: null,
} as const;

export type WriteKind = keyof typeof ENGAGEMENT_WRITES;

/**
 * Everything an accepted delivery writes, in one statement: records, the engagement, its
 * references and the version it made, the log row under the id the claim drew. `logged` is 0 when the engagement insert
 * met a row a concurrent writer committed meanwhile (the caller starts over);
 * `recordsInserted` likewise tells whether every record insert went in.
 */
function writeStatement(kind: WriteKind): Statement {
  const engagement = ENGAGEMENT_WRITES[kind];
  const log =
    kind === "insert"
      ? `SELECT @deliveryId::bigint, ${logValues("engagement.id")} FROM engagement`
      : `VALUES (@deliveryId::bigint, ${logValues("@engagementId::bigint")})`;
  const ctes = [RECORD_WRITES, engagement].filter(Boolean).join(", ");
  return defineStatement(
    `ingest-write-${kind}`,
    `WITH ${ctes}, logged AS (
       INSERT INTO deliveries (id, ${LOG_COLUMNS}) ${log} RETURNING id
     )
     SELECT (SELECT count(*) FROM logged)::int AS logged,
            (SELECT count(*) FROM record_insert)::int AS "recordsInserted"`,
  );
}

export const WRITE: Record<WriteKind, Statement> = {
  insert: writeStatement("insert"),
  update: writeStatement("update"),
  tombstone: writeStatement("tombstone"),
  none: writeStatement("none"),
};

/**
 * A delivery of an engagement never seen, carrying no records, in one statement (its own
 * transaction): key, engagement, references, its first version and log row, so the common case is one round trip.
 * With the key bound or the engagement stored already it writes nothing (`deliveryId` null).
 * Should a concurrent writer commit the same engagement while this waits on it, the log row's
 * id is left NULL on purpose: the NOT NULL constraint undoes the whole statement (see
 * `isLostInsert`), and the caller takes the transaction path instead.
 */
export const INSERT_NEW = defineStatement(
  "ingest-insert-new",
  `WITH claim AS (
     ${bindKey(`${KEY_UNBOUND} AND NOT EXISTS (
       SELECT FROM engagements WHERE ${SCOPE} AND external_id = @externalId::text)`)}
   ), ${insertEngagement("FROM claim")},
   ${historyWrite("engagement.id", "claim.delivery_id", "FROM claim, engagement", "1")}, logged AS (
     INSERT INTO deliveries (id, ${LOG_COLUMNS})
     SELECT CASE WHEN engagement.id IS NOT NULL THEN claim.delivery_id END,
            ${logValues("engagement.id")}
       FROM claim LEFT JOIN engagement ON true
     RETURNING id
   )
   SELECT (SELECT id FROM logged) AS "deliveryId"`,
);

/** The NOT NULL violation `INSERT_NEW` raises when it lost its engagement to another writer. */
export function isLostInsert(error: unknown): boolean {
  const { code, table, column } = error as { code?: string; table?: string; column?: string };
  return code === "23502" && table === "deliveries" && column === "id";
}
