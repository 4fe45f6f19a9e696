import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type AppDatabase } from "@/db/sqlite/client";
import { createSqliteStore } from "@/db/sqlite/store";
import type { Store } from "@/db/store";
import { parseFilter } from "@/lib/filters";
import { deliver } from "../helpers/deliver";
import { toEngagementQuery } from "../helpers/read-queries";
import { addTodaysWriterSchema, migrationsBefore } from "../helpers/temp-db";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "read-indexes-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const TAG = "covering_read_indexes";

/** A store on a connection opened here; closing it closes the connection. */
const storeOn = (db: AppDatabase) =>
  createSqliteStore({ db, writer: "inline", summaries: "inline" });

async function post(store: Store, i: number) {
  const result = await deliver(store, {
    event: "crmEngagement::created",
    data: {
      object: "resource",
      model: "crmEngagement",
      id: `m${i}`,
      fields: {
        type: ["call", "email", "meeting"][i % 3],
        status: i % 2 ? "completed" : "planned",
        title: `Pricing ${i}`,
        startedAt: new Date(Date.UTC(2025, 2, 1) + i * 3_600_000).toISOString(),
        owner: { object: "resourceRef", model: "genericUser", id: i % 2 ? "u1" : "u2" },
      },
      createdAt: "2025-03-01T00:00:00.000Z",
      updatedAt: "2025-03-01T00:00:00.000Z",
    },
  });
  expect(result.status).toBe(200);
}

const indexesOf = (db: AppDatabase) =>
  Object.fromEntries(
    (
      db.$client
        .prepare("select name from sqlite_schema where type = 'index' and tbl_name = 'engagements'")
        .all() as { name: string }[]
    ).map(({ name }) => [
      name,
      (db.$client.pragma(`index_info(${name})`) as { name: string }[]).map((c) => c.name),
    ]),
  );

// Every later migration applies too, in order: the migrator skips any whose time is not after
// the last one applied, so a database at 0006 must still take 0007.
describe.each([
  ["from before it (0005)", () => migrationsBefore(dir, TAG)],
  ["at it, before 0007", () => migrationsBefore(dir, "_engagement_fields_compact")],
])("migration 0006 (covering read indexes) on a database %s", (label, older) => {
  it("leaves the covering date and owner indexes, and the same answers", async () => {
    const file = path.join(dir, `${label.replace(/\W+/g, "-")}.db`);
    const olderDb = openDatabase(file, { migrationsFolder: older() });
    const before = storeOn(olderDb);
    const undoWriterSchema = addTodaysWriterSchema(olderDb);
    for (let i = 0; i < 12; i++) await post(before, i);
    const query = toEngagementQuery(parseFilter(new URLSearchParams("type=call&limit=3")));
    const page = await before.listEngagements(query);
    undoWriterSchema();
    await before.close();

    const after = openDatabase(file);
    const store = storeOn(after);
    try {
      const indexes = indexesOf(after);
      expect(indexes.engagements_started).toEqual([
        "started_at",
        "id",
        "type",
        "status",
        "direction",
        "owner_id",
        "deleted_at",
        "connector_id",
        "connection_owner_id",
      ]);
      expect(indexes.engagements_owner_started).toEqual([
        "owner_id",
        "started_at",
        "id",
        "type",
        "status",
        "direction",
        "deleted_at",
      ]);
      for (const gone of [
        "engagements_type_started",
        "engagements_connection_started",
        "engagements_facets",
      ]) {
        expect(indexes).not.toHaveProperty(gone);
      }
      // Every migration is recorded once.
      const applied = after.$client
        .prepare("select count(*) as n from __drizzle_migrations")
        .get() as { n: number };
      const journal = JSON.parse(
        fs.readFileSync(
          path.join(process.cwd(), "db/sqlite/migrations/meta/_journal.json"),
          "utf8",
        ),
      ) as { entries: unknown[] };
      expect(applied.n).toBe(journal.entries.length);
      expect(await store.listEngagements(query)).toEqual(page);
      expect(
        await store.countEngagements(
          toEngagementQuery(parseFilter(new URLSearchParams("type=call"))),
        ),
      ).toEqual({ count: 4, capped: false });
    } finally {
      await store.close();
    }
  });
});
