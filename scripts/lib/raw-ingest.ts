import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { applyGroup, type Delivery, type DeliveryAnswer } from "@/lib/ingest/group";
import { DERIVED_KEYS, type DerivedKey } from "@/lib/morph/fields";

/**
 * The storage floor of the ingest benchmark: the same reads and writes as ingest() for an
 * engagement snapshot (key lookup, engagement upsert, ref rows, FTS through the triggers, log
 * row, key binding, one IMMEDIATE transaction), with hand-written prepared statements and no
 * validation or normalisation. It takes the same `Delivery` (body and request metadata) as
 * ingest(), so the HTTP handler in front of either does the same work.
 */
export type RawResult = { status: number; body: string; outcome: string };

export function createRawIngest(sqlite: Database.Database) {
  const raw = {
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
   * `fields` as ingest() stores it (lib/morph/fields.ts, storeEngagementFields), trusting that
   * every value the columns hold is exactly what they give back: a letter per such key, and the
   * other keys' values as received.
   */
  const storedFields = (f: Record<string, unknown>) => {
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
  };

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

  /** The same reads and writes as ingest() for an engagement snapshot, trusting the payload. */
  return ({ rawBody: body, meta }: Delivery): RawResult => {
    const { connectorId: connector, connectionOwnerId: owner, idempotencyKey: key } = meta;
    const { receivedAt } = meta;
    const bodyHash = sha(body, "hex");
    const event = JSON.parse(body) as Snapshot;
    const { data } = event;
    const f = data.fields;
    const kept = JSON.stringify(meta.headers);
    return sqlite
      .transaction(() => {
        const bound = raw.findKey.get(connector, owner, key) as
          { response_body: string } | undefined;
        if (bound) return { status: 200, body: bound.response_body, outcome: "duplicate" };
        const stored = raw.findEngagement.get(connector, owner, data.id) as
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
        let engagementId: number;
        let outcome = "applied";
        if (!stored) {
          engagementId = (
            raw.insertEngagement.get(
              connector,
              owner,
              data.id,
              ...values,
              contentHash,
              receivedAt,
            ) as { id: number }
          ).id;
        } else if (updatedAt < stored.updated_at || stored.content_hash === contentHash) {
          engagementId = stored.id;
          outcome = updatedAt < stored.updated_at ? "stale" : "unchanged";
        } else {
          engagementId = stored.id;
          raw.updateEngagement.run(...values, contentHash, receivedAt, stored.id);
          raw.deleteRefs.run(stored.id);
        }
        if (outcome === "applied") {
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
        const deliveryId = (
          raw.insertDelivery.get(
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
          ) as { id: number }
        ).id;
        raw.bindKey.run(connector, owner, key, bodyHash, deliveryId, 200, body, receivedAt);
        return { status: 200, body, outcome };
      })
      .immediate();
  };
}

/** The raw writes through ingestGroup's commit strategy: one transaction, a savepoint each. */
export function createRawGroup(sqlite: Database.Database) {
  const raw = createRawIngest(sqlite);
  return (deliveries: readonly Delivery[]): DeliveryAnswer<RawResult>[] =>
    applyGroup(sqlite, deliveries, raw);
}
