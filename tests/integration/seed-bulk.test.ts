import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/sqlite/client";
import { createSqliteStore } from "@/db/sqlite/store";
import { createTempDatabase } from "../helpers/temp-db";
import { ingest } from "@/lib/ingest/ingest";
import { BULK_WORLD, seedBulk } from "@/scripts/lib/seed";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engagements-seed-"));
const file = path.join(dir, "bulk.db");
const stats = seedBulk({ file, count: 400, seed: 3, now: Date.parse("2026-03-02T12:00:00Z") });
const db = openDatabase(file);
const store = createSqliteStore({ db, writer: "inline", summaries: "inline" });
const sql = db.$client;
afterAll(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("npm run seed:bulk", () => {
  it("writes the engagements, their refs and every record they reference", () => {
    const count = sql.prepare("select count(*) as n from engagements").get() as { n: number };
    expect(count.n).toBe(400);
    expect(stats.refs).toBeGreaterThan(400);
    const records = sql.prepare("select count(*) as n from records").get() as { n: number };
    const perConnection =
      BULK_WORLD.users + BULK_WORLD.contacts + BULK_WORLD.companies + BULK_WORLD.opportunities;
    expect(records.n).toBe(2 * perConnection);
    const types = sql.prepare("select distinct type from engagements order by type").pluck().all();
    expect(types).toEqual(["call", "email", "meeting", "note", "task"]);
  });

  it("writes refs that resolve to named records of the same connection", () => {
    const unresolved = sql
      .prepare(
        `select count(*) as n from engagement_refs r
         join engagements e on e.id = r.engagement_id
         left join records c on c.connector_id = e.connector_id
           and c.connection_owner_id = e.connection_owner_id
           and c.model = case r.role when 'user' then 'genericUser'
             when 'contact' then 'genericContact' when 'company' then 'genericCompany'
             else 'crmOpportunity' end
           and c.external_id = r.ref_id
         where c.name is null or r.started_at != e.started_at`,
      )
      .get() as { n: number };
    expect(unresolved.n).toBe(0);
    const owners = sql
      .prepare(
        `select count(*) as n from engagements e left join records u
           on u.model = 'genericUser' and u.external_id = e.owner_id
           and u.connector_id = e.connector_id and u.connection_owner_id = e.connection_owner_id
         where u.name is null`,
      )
      .get() as { n: number };
    expect(owners.n).toBe(0);
  });

  it("keeps full-text search working (the FTS index is rebuilt after the load)", () => {
    const hits = sql
      .prepare("select count(*) as n from engagements_fts where engagements_fts match 'customer'")
      .get() as { n: number };
    expect(hits.n).toBeGreaterThan(0);
    const triggers = sql
      .prepare(
        "select count(*) as n from sqlite_master where type = 'trigger' and tbl_name = 'engagements'",
      )
      .get() as { n: number };
    expect(triggers.n).toBe(6);
  });

  it("counts the load in engagement_counts, and its triggers keep counting after it", () => {
    const counters = () =>
      sql
        .prepare(
          `select connector_id, connection_owner_id, owner_id, type, status, direction, deleted, n
           from engagement_counts where n != 0 order by 1, 2, 3, 4, 5, 6, 7`,
        )
        .all();
    const rows = () =>
      sql
        .prepare(
          `select connector_id, connection_owner_id, owner_id, type, status, direction,
             deleted_at is not null as deleted, count(*) as n
           from engagements group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7`,
        )
        .all();
    expect(counters().length).toBeGreaterThan(10);
    expect(counters()).toEqual(rows());
    sql.exec("savepoint probe");
    try {
      sql.exec("update engagements set type = 'note', deleted_at = null where id % 7 = 0");
      expect(counters()).toEqual(rows());
    } finally {
      sql.exec("rollback to probe; release probe");
    }
  });

  it("stores rows as ingest() would: redelivering a seeded snapshot changes nothing", async () => {
    const row = sql
      .prepare(
        `select id, external_id, connector_id, connection_owner_id, created_at, updated_at
         from engagements where deleted_at is null limit 1 offset 17`,
      )
      .get() as {
      id: number;
      external_id: string;
      connector_id: string;
      connection_owner_id: string;
      created_at: number;
      updated_at: number;
    };
    const body = JSON.stringify({
      event: "crmEngagement::updated",
      data: {
        object: "resource",
        model: "crmEngagement",
        id: row.external_id,
        fields: (await store.getEngagement(row.id))!.fields,
        createdAt: new Date(row.created_at).toISOString(),
        updatedAt: new Date(row.updated_at).toISOString(),
        rawResource: null,
        warnings: [],
      },
    });
    const result = await ingest(store, body, {
      connectorId: row.connector_id,
      connectionOwnerId: row.connection_owner_id,
      idempotencyKey: "seed-redelivery",
      headers: {},
      receivedAt: Date.now(),
    });
    expect(result.outcome).toBe("unchanged");
  });

  it("writes every engagement column as ingest() writes it for the same snapshot", async () => {
    const columns = `type, direction, status, title, description, started_at, ended_at, duration,
      owner_id, created_at, fields, warnings`;
    const rows = sql
      .prepare(
        `select id, external_id, connector_id, connection_owner_id, updated_at, ${columns}
         from engagements where deleted_at is null and id % 40 = 3`,
      )
      .all() as Record<string, string | number | null>[];
    expect(rows.length).toBeGreaterThan(5);
    const stored = sql.prepare(`select ${columns} from engagements where id = ?`);
    const refs = sql.prepare(
      "select role, ref_id, position, started_at from engagement_refs where engagement_id = ? order by role, ref_id",
    );
    sql.exec("savepoint reingest");
    try {
      for (const row of rows) {
        const id = row.id as number;
        const seeded = { ...stored.get(id)!, refs: refs.all(id) };
        // A newer version of the same snapshot: applied, so ingest() rewrites every column.
        const result = await ingest(
          store,
          JSON.stringify({
            event: "crmEngagement::updated",
            data: {
              object: "resource",
              model: "crmEngagement",
              id: row.external_id,
              fields: (await store.getEngagement(id))!.fields,
              createdAt: new Date(row.created_at as number).toISOString(),
              updatedAt: new Date((row.updated_at as number) + 1).toISOString(),
              rawResource: null,
              warnings: [],
            },
          }),
          {
            connectorId: row.connector_id as string,
            connectionOwnerId: row.connection_owner_id as string,
            idempotencyKey: `seed-reingest-${id}`,
            headers: {},
            receivedAt: Date.now(),
          },
        );
        expect(result.outcome).toBe("applied");
        expect({ ...stored.get(id)!, refs: refs.all(id) }).toEqual(seeded);
        // Every compared field as the seeded version has it: not a version.
        expect((await store.getEngagement(id))!.history).toHaveLength(1);
      }
      expect(rows.every((row) => String(row.fields).startsWith('["'))).toBe(true);
    } finally {
      sql.exec("rollback to reingest; release reingest");
    }
  });

  it("writes each engagement's history as ingest() writes it, with no delivery behind it", async () => {
    const ids = sql
      .prepare("select id from engagements where id % 25 = 1 or deleted_at is not null")
      .pluck()
      .all() as number[];
    const fresh = createTempDatabase();
    try {
      let deletes = 0;
      for (const id of ids) {
        const seeded = (await store.getEngagement(id))!;
        const resource = {
          object: "resource",
          model: "crmEngagement",
          id: seeded.externalId,
          createdAt: seeded.createdAt,
        };
        const body = {
          event: "crmEngagement::created",
          data: { ...resource, fields: seeded.fields, updatedAt: seeded.history[0]!.updatedAt },
        };
        const meta = {
          connectorId: seeded.connectorId,
          connectionOwnerId: seeded.connectionOwnerId,
          headers: {},
          receivedAt: Date.parse(seeded.history[0]!.receivedAt),
        };
        const made = await ingest(fresh.store, JSON.stringify(body), {
          ...meta,
          idempotencyKey: `seed-history-${id}`,
        });
        if (seeded.deletedAt) {
          deletes++;
          await ingest(
            fresh.store,
            JSON.stringify({
              event: "crmEngagement::deleted",
              data: { ...resource, updatedAt: seeded.deletedAt },
            }),
            { ...meta, idempotencyKey: `seed-history-delete-${id}` },
          );
        }
        const ingested = (await fresh.store.getDelivery(made.deliveryId))!.engagementId!;
        const expected = (await fresh.store.getEngagement(ingested))!.history;
        expect(seeded.history).toEqual(expected.map((v) => ({ ...v, deliveryId: null })));
      }
      expect(deletes).toBeGreaterThan(0);
      expect(ids.length).toBeGreaterThan(deletes + 5);
    } finally {
      await fresh.cleanup();
    }
  });
});
