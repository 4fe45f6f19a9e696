import { afterAll, describe, expect, it } from "vitest";
import { ingestGroup, ingestOne, type Delivery } from "@/scripts/bench/app";
import { createRawGroup, createRawIngest } from "@/scripts/lib/raw-ingest";
import {
  createRng,
  createWorld,
  engagementSnapshot,
  morphEnvelope,
  pickType,
  workdayTime,
} from "@/scripts/lib/world";
import { createTempDatabase } from "../helpers/temp-db";

const viaIngest = createTempDatabase();
const viaRaw = createTempDatabase();
afterAll(async () => {
  await viaIngest.cleanup();
  await viaRaw.cleanup();
});

/** The benchmark's kind of payload: realistic engagements with references. */
function deliveries(count: number, from: number): Delivery[] {
  const rng = createRng(7 + from);
  const world = createWorld(rng, { users: 20, contacts: 200, companies: 50, opportunities: 30 });
  const now = Date.UTC(2026, 0, 15);
  return Array.from({ length: count }, (_, i) => {
    const id = `bench-${from + i}`;
    const snapshot = engagementSnapshot(rng, world, {
      id,
      type: pickType(rng),
      startedAt: workdayTime(rng, now, 365),
      now,
    });
    const body = morphEnvelope(
      "crmEngagement",
      "created",
      id,
      snapshot.fields,
      snapshot.createdAt,
      snapshot.updatedAt,
    );
    const key = `key-${from + i}`;
    return {
      rawBody: JSON.stringify(body),
      meta: {
        connectorId: "hubspot",
        connectionOwnerId: "acme-prod",
        idempotencyKey: key,
        headers: { "content-type": "application/json", "x-idempotency-key": key },
        receivedAt: now,
      },
    };
  });
}

const rows = (db: typeof viaIngest.db, sql: string) => db.$client.prepare(sql).all();
const TABLES = {
  engagements: "select * from engagements order by id",
  refs: "select * from engagement_refs order by engagement_id, role, position",
  history: "select * from engagement_history order by engagement_id, version",
  fts: "select rowid, title, description from engagements_fts order by rowid",
  counts: "select * from engagement_counts order by 1, 2, 3, 4, 5, 6, 7",
  keys: "select * from idempotency_keys order by delivery_id",
  // duration_ms is each one's own timing.
  deliveries:
    "select id, received_at, connector_id, connection_owner_id, idempotency_key, event, model, resource_id, engagement_id, outcome, http_status, error, warnings, body, body_hash, body_bytes, headers, response_body, original_delivery_id from deliveries order by id",
};

describe("the ingest benchmark's raw-SQL floor", () => {
  it("writes the very rows ingest() writes for the benchmark's payloads, one by one and in groups", () => {
    const raw = createRawIngest(viaRaw.db.$client);
    const rawGroup = createRawGroup(viaRaw.db.$client);
    const single = deliveries(40, 0);
    const grouped = deliveries(40, 1000);
    for (const delivery of single) {
      const result = ingestOne(viaIngest.db, delivery);
      expect(raw(delivery)).toMatchObject({ status: result.status, outcome: result.outcome });
    }
    for (let i = 0; i < grouped.length; i += 10) {
      const group = grouped.slice(i, i + 10);
      const expected = ingestGroup(viaIngest.db, group);
      const answers = rawGroup(group);
      expect(answers.map((a) => a.ok && a.result.body)).toEqual(
        expected.map((a) => a.ok && a.result.body),
      );
    }
    for (const [table, sql] of Object.entries(TABLES)) {
      expect(rows(viaRaw.db, sql), table).toEqual(rows(viaIngest.db, sql));
    }
  });
});
