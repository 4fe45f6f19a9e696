import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type AppDatabase } from "@/db/sqlite/client";
import { createSqliteStore } from "@/db/sqlite/store";
import type { Store } from "@/db/store";
import { parseFilter } from "@/lib/filters";
import { deliver } from "../helpers/deliver";
import { fixture } from "../helpers/morph";
import { toEngagementQuery } from "../helpers/read-queries";
import { addTodaysWriterSchema, createTempDatabase, migrationsBefore } from "../helpers/temp-db";

const temp = createTempDatabase();
afterAll(() => temp.cleanup());

async function post(store: Store, name: string) {
  expect((await deliver(store, fixture(name))).status).toBe(200);
}

/** A store on a connection opened here; closing it closes the connection. */
const storeOn = (db: AppDatabase) =>
  createSqliteStore({ db, writer: "inline", summaries: "inline" });

const refsOf = (db: AppDatabase) =>
  db.$client.prepare("select * from engagement_refs order by engagement_id, role, ref_id").all();

describe("engagement_refs storage", () => {
  it("moves existing refs to a table clustered on its key, keeping lookups and cascades", async () => {
    const file = path.join(temp.dir, "older.db");
    const older = openDatabase(file, {
      migrationsFolder: migrationsBefore(temp.dir, "_engagement_refs_without_rowid"),
    });
    const olderStore = storeOn(older);
    const undoWriterSchema = addTodaysWriterSchema(older);
    for (const name of [
      "engagement-call-created",
      "engagement-meeting-updated",
      "engagement-email-expanded-refs",
    ]) {
      await post(olderStore, name);
    }
    const before = refsOf(older);
    expect(before.length).toBeGreaterThan(3);
    undoWriterSchema();
    await olderStore.close();

    const db = openDatabase(file);
    const store = storeOn(db);
    try {
      const table = db.$client
        .prepare("select sql from sqlite_master where type = 'table' and name = 'engagement_refs'")
        .pluck()
        .get() as string;
      expect(table).toMatch(/WITHOUT ROWID/i);
      const indexes = db.$client
        .prepare(
          "select name from sqlite_master where type = 'index' and tbl_name = 'engagement_refs'",
        )
        .pluck()
        .all();
      expect(indexes).toEqual(["engagement_refs_lookup"]);
      expect(refsOf(db)).toEqual(before);

      const [contact] = db.$client
        .prepare("select ref_id from engagement_refs where role = 'contact' limit 1")
        .pluck()
        .all() as string[];
      const page = await store.listEngagements(
        toEngagementQuery(parseFilter(new URLSearchParams({ contact: contact! }))),
      );
      expect(page.data.length).toBeGreaterThan(0);
      expect(page.data.every((e) => e.contacts.some((c) => c.id === contact))).toBe(true);

      // Refs still go with their engagement (foreign key, on delete cascade).
      const id = Number(page.data[0]!.id);
      db.$client.prepare("delete from engagements where id = ?").run(id);
      const left = db.$client
        .prepare("select count(*) from engagement_refs where engagement_id = ?")
        .pluck()
        .get(id);
      expect(left).toBe(0);
      expect(db.$client.prepare("pragma foreign_key_check").all()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
