import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPgDatabase, migratePg, PG_MIGRATIONS_FOLDER, type PgDatabase } from "@/db/pg/client";
import { writeDelivery } from "@/db/pg/ingest/write-delivery";
import { createPgStore } from "@/db/pg/store";
import type { Store } from "@/db/store";
import { parseFilter } from "@/lib/filters";
import { createPgTestDatabase } from "@/scripts/lib/pg-cluster";
import {
  ACME,
  GLOBEX,
  ingestHistory,
  postOne,
  snapshot,
  tombstone,
} from "../helpers/counted-history";
import { deliver } from "../helpers/deliver";
import { openEngineStore, testEngines, type EngineStore } from "../helpers/engines";
import { toEngagementQuery } from "../helpers/read-queries";

/**
 * PostgreSQL's engagement_counts: whether its triggers follow every write (in the writer's
 * transaction, on slots summed when read), under many writers on two pools, whether it is read
 * only where it holds the filter, and whether its migration back-fills what is already there.
 */

const GROUP = "connector_id, connection_owner_id, owner_id, type, status, direction";
const ORDER = `order by ${GROUP}, deleted`;
const COUNTERS_BY_GROUP = `select ${GROUP}, deleted::int as deleted, sum(n)::int as n
  from engagement_counts group by ${GROUP}, deleted having sum(n) <> 0 ${ORDER}`;
const ROWS_BY_GROUP = `select ${GROUP}, (deleted_at is not null)::int as deleted, count(*)::int as n
  from engagements group by ${GROUP}, deleted ${ORDER}`;

const rowsOf = async (db: PgDatabase, text: string) => (await db.$client.query(text)).rows;
const queryOf = (params: string) => toEngagementQuery(parseFilter(new URLSearchParams(params)));

describe.runIf(testEngines().includes("postgres"))("engagement_counts on PostgreSQL", () => {
  let opened: EngineStore;
  let db: PgDatabase;
  beforeAll(async () => {
    opened = await openEngineStore("postgres");
    db = opened.pg!;
    await ingestHistory(opened.store);
  });
  afterAll(() => opened?.cleanup());

  it("holds what the engagements hold, after updates, tombstones and revivals", async () => {
    const [shape] = await rowsOf(
      db,
      `select count(*)::int as rows, count(*) filter (where deleted_at is not null)::int as deleted,
         count(*) filter (where type = '')::int as "emptyType",
         count(*) filter (where type is null)::int as "noType"
       from engagements`,
    );
    expect(shape).toMatchObject({ rows: 60 + 25 + 4 });
    expect(shape!.deleted).toBeGreaterThan(10);
    expect(shape!.emptyType).toBeGreaterThan(0);
    expect(shape!.noType).toBeGreaterThan(0);
    expect(await rowsOf(db, COUNTERS_BY_GROUP)).toEqual(await rowsOf(db, ROWS_BY_GROUP));
  });

  it("reads the counters only for the dimensions they hold", async () => {
    const byCounters = queryOf("type=call&owner=u1");
    const byRows = queryOf("type=call&owner=u1&from=2025-01-01");
    const count = async (query: typeof byRows) =>
      (await opened.store.countEngagements(query)).count;
    const before = [await count(byCounters), await count(byRows)];
    // Inflated counters move only what they answer; put back as they were after.
    await db.$client.query("update engagement_counts set n = n + 1000");
    try {
      expect(await count(byCounters)).toBeGreaterThan(before[0]! + 999);
      expect((await opened.store.countFacets(byCounters)).type[0]!.count).toBeGreaterThan(999);
      expect(await count(byRows)).toBe(before[1]);
    } finally {
      await db.$client.query("update engagement_counts set n = n - 1000");
    }
    expect(await count(byCounters)).toBe(before[0]);
  });
});

describe.runIf(testEngines().includes("postgres"))("engagement_counts under writers", () => {
  let opened: EngineStore;
  let pools: Store[];
  beforeAll(async () => {
    opened = await openEngineStore("postgres");
    pools = [0, 1].map(() => createPgStore({ url: opened.location, poolSize: 8 }));
  });
  afterAll(async () => {
    await Promise.all(pools.map((store) => store.close()));
    await opened?.cleanup();
  });

  it("stays exact while two pools move the same engagements between two groups both ways", async () => {
    const call = { type: "call", owner: { object: "resourceRef", model: "genericUser", id: "u1" } };
    const meeting = { ...call, type: "meeting" };
    for (let i = 0; i < 12; i++) await postOne(opened.store, snapshot(`m${i}`, 1, call), ACME);
    // Versions interleave, so concurrent writers move counts call → meeting and meeting → call.
    const writes = Array.from({ length: 240 }, (_, w) => {
      const id = `m${w % 12}`;
      const version = 2 + Math.floor(w / 12);
      const body =
        w % 17 === 0
          ? tombstone(id, version)
          : snapshot(id, version, (w + Math.floor(w / 12)) % 2 ? meeting : call);
      return deliver(pools[w % 2]!, body, w % 5 === 0 ? GLOBEX : ACME);
    });
    const answers = await Promise.all(writes);
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const db = opened.pg!;
    expect(await rowsOf(db, COUNTERS_BY_GROUP)).toEqual(await rowsOf(db, ROWS_BY_GROUP));
    const [{ slots }] = await rowsOf(
      db,
      "select count(distinct slot)::int as slots from engagement_counts",
    );
    expect(slots).toBeGreaterThan(1);
    // Counter rows are taken in key order: no writer waited on another in a cycle.
    const [{ deadlocks }] = await rowsOf(
      db,
      "select deadlocks::int from pg_stat_database where datname = current_database()",
    );
    expect(deadlocks).toBe(0);
  });
});

describe.runIf(testEngines().includes("postgres"))("engagement_counts' migration", () => {
  const name = `counts_backfill_${process.pid}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pg-counts-"));
  let db: PgDatabase;
  afterAll(async () => {
    await db?.$client.end();
    const admin = new pg.Client({ connectionString: inject("pgAdminUrl")! });
    await admin.connect();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The app's migrations up to (not including) the counters' table. */
  function migrationsBeforeCounters() {
    const folder = path.join(dir, "migrations");
    fs.cpSync(PG_MIGRATIONS_FOLDER, folder, { recursive: true });
    const journalFile = path.join(folder, "meta", "_journal.json");
    const journal = JSON.parse(fs.readFileSync(journalFile, "utf8")) as {
      entries: { tag: string }[];
    };
    journal.entries = journal.entries.filter((_, i, all) =>
      all.slice(0, i + 1).every((e) => !e.tag.endsWith("_engagement_counts")),
    );
    fs.writeFileSync(journalFile, JSON.stringify(journal));
    return folder;
  }

  it("back-fills the counters on a database that already holds engagements", async () => {
    const url = await createPgTestDatabase(inject("pgAdminUrl")!, name);
    db = createPgDatabase(url, { max: 2 });
    await migratePg(db, migrationsBeforeCounters());
    // The writer of the release before: no counters to keep.
    const older = { ingestDelivery: (delivery) => writeDelivery(db, delivery) } as Pick<
      Store,
      "ingestDelivery"
    >;
    // Today's writer also keeps each version (migration 0007's table) and binds a key to its
    // resource (0005's columns): there for it, then gone before the upgrade.
    const history = fs.readFileSync(
      path.join(PG_MIGRATIONS_FOLDER, "0007_engagement_history.sql"),
      "utf8",
    );
    await db.$client.query(history.split("--> statement-breakpoint")[0]!);
    await db.$client.query(
      `alter table idempotency_keys add column model text default '' not null,
         add column resource_id text default '' not null`,
    );
    await ingestHistory(older as Store);
    await db.$client.query("drop table engagement_history");
    await db.$client.query(
      "alter table idempotency_keys drop column model, drop column resource_id",
    );
    const [{ table }] = await rowsOf(db, "select to_regclass('engagement_counts') as table");
    expect(table).toBeNull();

    await migratePg(db);
    const grouped = await rowsOf(db, ROWS_BY_GROUP);
    expect(grouped.length).toBeGreaterThan(20);
    expect(await rowsOf(db, COUNTERS_BY_GROUP)).toEqual(grouped);
    const store = createPgStore({ url, poolSize: 2 });
    try {
      await postOne(store, snapshot("e0", 90, { type: "note" }), ACME);
      await postOne(store, tombstone("e1", 95), GLOBEX);
      expect(await rowsOf(db, COUNTERS_BY_GROUP)).toEqual(await rowsOf(db, ROWS_BY_GROUP));
    } finally {
      await store.close();
    }
  });
});
