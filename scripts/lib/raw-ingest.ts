import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { DERIVED_KEYS, type Delivery, type DerivedKey } from "../bench/app";
import { applyInOneTransaction, type Answer } from "./batch";

/**
 * The storage floor of the ingest benchmark: the same reads and writes as ingest() for an
 * engagement snapshot (key lookup, engagement upsert, ref rows, FTS through the triggers, log
 * row, key binding, one IMMEDIATE transaction), with hand-written prepared statements and no
 * validation or normalisation. It takes the same `Delivery` (body and request metadata) as
 * ingest(), so the HTTP handler in front of either does the same work.
 */
export type RawResult = { status: number; body: string; outcome: string };

function prepareStatements(sqlite: Database.Database) {
  return {
    findKey: sqlite.prepare(
      "SELECT body_hash, delivery_id, response_status, response_body FROM idempotency_keys WHERE connector_id = ? AND connection_owner_id = ? AND key = ?",
    ),
    bindKey: sqlite.prepare(
      "INSERT INTO idempotency_keys (connector_id, connection_owner_id, key, body_hash, delivery_id, response_status, response_body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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
  };
}
type Statements = ReturnType<typeof prepareStatements>;

const ROLES: [string, string][] = [
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

/** The engagement row: inserted, updated (its refs cleared), or left as it is (stale, unchanged). */
function upsertEngagement(
  raw: Statements,
  { connectorId, connectionOwnerId, receivedAt }: Delivery["meta"],
  data: Snapshot["data"],
) {
  const f = data.fields;
  const stored = raw.findEngagement.get(connectorId, connectionOwnerId, data.id) as
    { id: number; updated_at: number; content_hash: string } | undefined;
  const contentHash = sha(JSON.stringify(data), "base64url");
  const updatedAt = ms(data.updatedAt) ?? receivedAt;
  const startedAt = ms(f.startedAt) ?? ms(data.createdAt) ?? updatedAt;
  const values = [
    f.type ?? null,
    f.direction ?? null,
    f.status ?? null,
    f.title ?? null,
    f.description ?? null,
    startedAt,
    ms(f.endedAt),
    f.duration ?? null,
    (f.owner as { id?: string } | undefined)?.id ?? null,
    ms(data.createdAt),
    updatedAt,
    storedFields(f),
  ];
  if (!stored) {
    const inserted = raw.insertEngagement.get(
      connectorId,
      connectionOwnerId,
      data.id,
      ...values,
      contentHash,
      receivedAt,
    ) as { id: number };
    return { engagementId: inserted.id, outcome: "applied", startedAt };
  }
  if (updatedAt < stored.updated_at || stored.content_hash === contentHash) {
    const outcome = updatedAt < stored.updated_at ? "stale" : "unchanged";
    return { engagementId: stored.id, outcome, startedAt };
  }
  raw.updateEngagement.run(...values, contentHash, receivedAt, stored.id);
  raw.deleteRefs.run(stored.id);
  return { engagementId: stored.id, outcome: "applied", startedAt };
}

function insertRefs(
  raw: Statements,
  engagementId: number,
  f: Record<string, unknown>,
  startedAt: number,
) {
  for (const [field, role] of ROLES) {
    const list = (f[field] as { id: string }[] | undefined) ?? [];
    const seen = new Set<string>();
    list.forEach((ref, position) => {
      if (seen.has(ref.id)) return;
      seen.add(ref.id);
      raw.insertRef.run(engagementId, role, ref.id, position, startedAt);
    });
  }
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
    const bound = raw.findKey.get(connector, owner, key) as { response_body: string } | undefined;
    if (bound) return { status: 200, body: bound.response_body, outcome: "duplicate" };
    const { engagementId, outcome, startedAt } = upsertEngagement(raw, meta, data);
    if (outcome === "applied") insertRefs(raw, engagementId, data.fields, startedAt);
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
    raw.bindKey.run(connector, owner, key, bodyHash, logged.id, 200, body, receivedAt);
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
