import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import {
  DERIVED_KEYS,
  diffVersions,
  versionState,
  type Delivery,
  type DerivedKey,
} from "../bench/app";
import { applyInOneTransaction, type Answer } from "./batch";

/**
 * The storage floor of the ingest benchmark: the same reads and writes as ingest() for an
 * engagement snapshot (key lookup, engagement upsert, ref rows, FTS through the triggers, log
 * row, the version it made in the history (db/history.ts), key binding, one IMMEDIATE transaction), with hand-written prepared statements and no
 * validation or normalisation. It takes the same `Delivery` (body and request metadata) as
 * ingest(), so the HTTP handler in front of either does the same work.
 */
export type RawResult = { status: number; body: string; outcome: string };

function prepareStatements(sqlite: Database.Database) {
  return {
    findKey: sqlite.prepare(
      "SELECT body_hash, delivery_id, response_status, response_body FROM idempotency_keys WHERE connector_id = ? AND connection_owner_id = ? AND key = ? AND model = ? AND resource_id = ?",
    ),
    bindKey: sqlite.prepare(
      "INSERT INTO idempotency_keys (connector_id, connection_owner_id, key, model, resource_id, body_hash, delivery_id, response_status, response_body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    insertDelivery: sqlite.prepare(
      `INSERT INTO deliveries (received_at, connector_id, connection_owner_id, idempotency_key, event, model, resource_id,
         engagement_id, outcome, http_status, error, warnings, duration_ms, body, body_hash, body_bytes, headers,
         response_body, original_delivery_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, '[]', ?, ?, ?, ?, ?, NULL, NULL) RETURNING id`,
    ),
    findEngagement: sqlite.prepare(
      "SELECT id, updated_at, deleted_at, content_hash FROM engagements WHERE connector_id = ? AND connection_owner_id = ? AND external_id = ?",
    ),
    insertEngagement: sqlite.prepare(
      `INSERT INTO engagements (connector_id, connection_owner_id, external_id, type, direction, status, title, description,
         started_at, ended_at, duration, owner_id, created_at, updated_at, deleted_at, fields, warnings, content_hash, ingested_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, '[]', ?, ?) RETURNING id`,
    ),
    updateEngagement: sqlite.prepare(
      `UPDATE engagements SET type = ?, direction = ?, status = ?, title = ?, description = ?, started_at = ?, ended_at = ?,
         duration = ?, owner_id = ?, created_at = ?, updated_at = ?, deleted_at = NULL, fields = ?, warnings = '[]',
         content_hash = ?, ingested_at = ? WHERE id = ?`,
    ),
    deleteRefs: sqlite.prepare("DELETE FROM engagement_refs WHERE engagement_id = ?"),
    insertRef: sqlite.prepare(
      "INSERT INTO engagement_refs (engagement_id, role, ref_id, position, started_at) VALUES (?, ?, ?, ?, ?)",
    ),
    findState: sqlite.prepare(
      `SELECT type, direction, status, title, description, started_at AS startedAt, ended_at AS endedAt,
         duration, owner_id AS ownerId FROM engagements WHERE id = ?`,
    ),
    findRefs: sqlite.prepare(
      "SELECT role, ref_id AS refId FROM engagement_refs WHERE engagement_id = ?",
    ),
    insertVersion: sqlite.prepare(
      `INSERT INTO engagement_history (engagement_id, version, delivery_id, received_at, event, updated_at, changes)
       VALUES (?, (SELECT coalesce(max(version), 0) + 1 FROM engagement_history WHERE engagement_id = ?), ?, ?, ?, ?, ?)`,
    ),
  };
}
type Statements = ReturnType<typeof prepareStatements>;

type Role = "user" | "contact" | "company" | "opportunity";
type RefRow = { role: Role; refId: string; position: number };
type VersionColumns = Parameters<typeof versionState>[0];

const ROLES: [string, Role][] = [
  ["users", "user"],
  ["contacts", "contact"],
  ["companies", "company"],
  ["opportunities", "opportunity"],
];
const sha = (text: string, encoding: "hex" | "base64url") =>
  createHash("sha256").update(text).digest(encoding);
const ms = (value: unknown) => (typeof value === "string" ? Date.parse(value) : null);

/**
 * `fields` as ingest() stores it (db/fields-codec.ts, storeEngagementFields), trusting that
 * every value the columns hold is exactly what they give back: a letter per such key, and the
 * other keys' values as received.
 */
function storedFields(f: Record<string, unknown>) {
  let layout = "";
  let derived = 0;
  let rest: Record<string, unknown> | null = null;
  for (const key in f) {
    if (Object.hasOwn(DERIVED_KEYS, key)) {
      layout += DERIVED_KEYS[key as DerivedKey];
      derived++;
    } else {
      layout += ".";
      (rest ??= {})[key] = f[key];
    }
  }
  return JSON.stringify(derived === 0 ? f : rest === null ? [layout] : [layout, rest]);
}

type Snapshot = {
  event: string;
  data: {
    model: string;
    id: string;
    fields: Record<string, unknown>;
    createdAt?: string;
    updatedAt?: string;
  };
};

/** The snapshot's references, each (role, id) once, in their list's order. */
function refRows(f: Record<string, unknown>): RefRow[] {
  const rows: RefRow[] = [];
  for (const [field, role] of ROLES) {
    const list = (f[field] as { id: string }[] | undefined) ?? [];
    const seen = new Set<string>();
    list.forEach((ref, position) => {
      if (seen.has(ref.id)) return;
      seen.add(ref.id);
      rows.push({ role, refId: ref.id, position });
    });
  }
  return rows;
}

/**
 * The engagement row: inserted, updated (its refs cleared), or left as it is (stale, unchanged);
 * with what the version it makes changed (null: not a version).
 */
function upsertEngagement(
  raw: Statements,
  { connectorId, connectionOwnerId, receivedAt }: Delivery["meta"],
  data: Snapshot["data"],
  refs: RefRow[],
) {
  const f = data.fields;
  const stored = raw.findEngagement.get(connectorId, connectionOwnerId, data.id) as
    { id: number; updated_at: number; deleted_at: number | null; content_hash: string } | undefined;
  const contentHash = sha(JSON.stringify(data), "base64url");
  const updatedAt = ms(data.updatedAt) ?? receivedAt;
  const startedAt = ms(f.startedAt) ?? ms(data.createdAt) ?? updatedAt;
  const columns = {
    type: (f.type as string | undefined) ?? null,
    direction: (f.direction as string | undefined) ?? null,
    status: (f.status as string | undefined) ?? null,
    title: (f.title as string | undefined) ?? null,
    description: (f.description as string | undefined) ?? null,
    startedAt,
    endedAt: ms(f.endedAt),
    duration: (f.duration as number | undefined) ?? null,
    ownerId: (f.owner as { id?: string } | undefined)?.id ?? null,
  };
  const values = [
    columns.type,
    columns.direction,
    columns.status,
    columns.title,
    columns.description,
    startedAt,
    columns.endedAt,
    columns.duration,
    columns.ownerId,
    ms(data.createdAt),
    updatedAt,
    storedFields(f),
  ];
  const next = versionState(columns, refs, false);
  if (!stored) {
    const inserted = raw.insertEngagement.get(
      connectorId,
      connectionOwnerId,
      data.id,
      ...values,
      contentHash,
      receivedAt,
    ) as { id: number };
    const changes = diffVersions(null, next);
    return { engagementId: inserted.id, outcome: "applied", startedAt, updatedAt, changes };
  }
  if (updatedAt < stored.updated_at || stored.content_hash === contentHash) {
    const outcome = updatedAt < stored.updated_at ? "stale" : "unchanged";
    return { engagementId: stored.id, outcome, startedAt, updatedAt, changes: null };
  }
  const previous = versionState(
    raw.findState.get(stored.id) as VersionColumns,
    raw.findRefs.all(stored.id) as RefRow[],
    stored.deleted_at !== null,
  );
  raw.updateEngagement.run(...values, contentHash, receivedAt, stored.id);
  raw.deleteRefs.run(stored.id);
  const changes = diffVersions(previous, next);
  return { engagementId: stored.id, outcome: "applied", startedAt, updatedAt, changes };
}

/** The reads and writes for one delivery, trusting the payload; the caller holds the transaction. */
function createRawWrite(sqlite: Database.Database) {
  const raw = prepareStatements(sqlite);
  return ({ rawBody: body, meta }: Delivery): RawResult => {
    const { connectorId: connector, connectionOwnerId: owner, idempotencyKey: key } = meta;
    const { receivedAt } = meta;
    const bodyHash = sha(body, "hex");
    const event = JSON.parse(body) as Snapshot;
    const { data } = event;
    const kept = JSON.stringify(meta.headers);
    // A key binds per resource; the benchmark never reuses one, so no warning is written.
    const bound = raw.findKey.get(connector, owner, key, data.model, data.id) as
      { response_body: string } | undefined;
    if (bound) return { status: 200, body: bound.response_body, outcome: "duplicate" };
    const refs = refRows(data.fields);
    const upserted = upsertEngagement(raw, meta, data, refs);
    const { engagementId, outcome, startedAt } = upserted;
    if (outcome === "applied") {
      for (const ref of refs) {
        raw.insertRef.run(engagementId, ref.role, ref.refId, ref.position, startedAt);
      }
    }
    const logged = raw.insertDelivery.get(
      receivedAt,
      connector,
      owner,
      key,
      event.event,
      data.model,
      data.id,
      engagementId,
      outcome,
      200,
      Date.now() - receivedAt,
      body,
      bodyHash,
      Buffer.byteLength(body),
      kept,
    ) as { id: number };
    if (upserted.changes !== null) {
      raw.insertVersion.run(
        engagementId,
        engagementId,
        logged.id,
        receivedAt,
        event.event,
        upserted.updatedAt,
        upserted.changes,
      );
    }
    const resource = [data.model, data.id];
    raw.bindKey.run(connector, owner, key, ...resource, bodyHash, logged.id, 200, body, receivedAt);
    return { status: 200, body, outcome };
  };
}

/** The raw writes of one delivery in their own IMMEDIATE transaction, as ingest() commits alone. */
export function createRawIngest(sqlite: Database.Database) {
  const write = createRawWrite(sqlite);
  return (delivery: Delivery): RawResult => sqlite.transaction(write).immediate(delivery);
}

/** The raw writes as the app's group commit (writeGroup) makes them: one transaction for the group, a savepoint each. */
export function createRawGroup(sqlite: Database.Database) {
  const write = createRawWrite(sqlite);
  return (deliveries: readonly Delivery[]): Answer<RawResult>[] =>
    applyInOneTransaction(sqlite, deliveries, write);
}
