import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type AppDatabase } from "@/db/sqlite/client";
import { createPgStore } from "@/db/pg/store";
import { createSqliteStore } from "@/db/sqlite/store";
import type { Store } from "@/db/store";
import type { Facets } from "@/db/types";
import { parseFilter } from "@/lib/filters";
import { ACME, ingestHistory, postOne, snapshot } from "../helpers/counted-history";
import { openEngineStore, testEngines, type EngineStore } from "../helpers/engines";
import { expectedFacets, PostedEngagements } from "../helpers/read-model";
import { toEngagementQuery } from "../helpers/read-queries";
import { addTodaysWriterSchema, createTempDatabase, migrationsBefore } from "../helpers/temp-db";

const countersByGroup = (target: AppDatabase) =>
  target.$client
    .prepare(
      `select connector_id, connection_owner_id, owner_id, type, status, direction, deleted, n
       from engagement_counts where n != 0
       order by connector_id, connection_owner_id, owner_id, type, status, direction, deleted`,
    )
    .all();
const rowsByGroup = (target: AppDatabase) =>
  target.$client
    .prepare(
      `select connector_id, connection_owner_id, owner_id, type, status, direction,
         deleted_at is not null as deleted, count(*) as n
       from engagements group by 1, 2, 3, 4, 5, 6, 7
       order by connector_id, connection_owner_id, owner_id, type, status, direction, deleted`,
    )
    .all();

/** A store on a connection opened here; closing it closes the connection. */
const storeOn = (target: AppDatabase) =>
  createSqliteStore({ db: target, writer: "inline", summaries: "inline" });

const stripNames = (facets: Facets) => ({
  ...facets,
  owner: facets.owner.map(({ value, count }) => ({ value, count })),
});

describe.each(testEngines())("counts and facets on %s", (engine) => {
  let opened: EngineStore;
  const model = new PostedEngagements();
  /** The same database read without the counters: every count and facet from the rows. */
  let exact: Store | null = null;

  beforeAll(async () => {
    opened = await openEngineStore(engine);
    await ingestHistory(opened.store, model);
    if (engine === "sqlite") {
      const db = (opened.store as Store & { db: AppDatabase }).db;
      exact = createSqliteStore({
        db,
        writer: "inline",
        summaries: "inline",
        tuning: { useCounters: false },
      });
    } else {
      exact = createPgStore({ url: opened.location, poolSize: 2, tuning: { useCounters: false } });
    }
  });
  afterAll(async () => {
    if (engine === "postgres") await exact?.close();
    await opened?.cleanup();
  });

  it("are the oracle's for every combination of connection, owner, type, status, direction and deleted", async () => {
    const connections = [null, "hubspot:acme-prod", "salesforce:globex-eu"];
    const owners = [null, "u1", "u3"];
    const types = [[], ["call"], ["meeting", "sms"]];
    const statuses = [[], ["planned"], ["completed", "canceled"]];
    const directions = [[], ["inbound"]];
    let compared = 0;
    let nonZero = 0;
    for (const connection of connections)
      for (const ownerId of owners)
        for (const type of types)
          for (const status of statuses)
            for (const direction of directions)
              for (const deleted of ["hide", "include", "only"]) {
                const params = new URLSearchParams({ deleted });
                if (connection) params.set("connection", connection);
                if (ownerId) params.set("owner", ownerId);
                for (const v of type) params.append("type", v);
                for (const v of status) params.append("status", v);
                for (const v of direction) params.append("direction", v);
                const query = toEngagementQuery(parseFilter(params));
                const count = (await opened.store.countEngagements(query)).count;
                const matching = model.matching({ ...query, after: null });
                expect(count, params.toString()).toBe(matching.length);
                const facets = await opened.store.countFacets(query);
                expect(stripNames(facets), params.toString()).toEqual(expectedFacets(model, query));
                // The store answers from engagement_counts: the rows must agree with it.
                expect(facets).toEqual(await exact!.countFacets(query));
                compared++;
                if (count > 0) nonZero++;
              }
    expect(compared).toBe(3 * 3 * 3 * 3 * 2 * 3);
    // Most narrow combinations match nothing; enough of them match something to mean it.
    expect(nonZero).toBeGreaterThan(compared / 6);
  });
});

// SQLite's engagement_counts (PostgreSQL's: pg-engagement-counts.test.ts): whether it follows
// every write, is read only where it holds the filter, and is back-filled.
const temp = createTempDatabase();
const { db, store } = temp;
afterAll(() => temp.cleanup());

describe("engagement_counts", () => {
  beforeAll(() => ingestHistory(store));

  it("holds what the engagements hold, after updates, tombstones and revivals", () => {
    const shape = db.$client
      .prepare(
        `select count(*) as rows, sum(deleted_at is not null) as deleted,
           count(distinct type) as types, sum(type = '') as emptyType, sum(type is null) as noType
         from engagements`,
      )
      .get() as Record<string, number>;
    expect(shape.rows).toBe(60 + 25 + 4);
    expect(shape.deleted).toBeGreaterThan(10);
    expect(shape.emptyType).toBeGreaterThan(0);
    expect(shape.noType).toBeGreaterThan(0);
    const deleted = (id: string) =>
      db.$client
        .prepare("select deleted_at is not null from engagements where external_id = ?")
        .pluck()
        .all(id);
    expect(deleted("e5")).toEqual([0, 0]); // revived in both connections
    expect(deleted("e13")).toEqual([1, 1]); // an older snapshot did not revive it
    expect(deleted("ghost-1")).toEqual([1, 1]);
    expect(countersByGroup(db)).toEqual(rowsByGroup(db));
  });

  it("reads the counters only for the dimensions they hold", async () => {
    const byCounters = toEngagementQuery(parseFilter(new URLSearchParams("type=call&owner=u1")));
    const byRows = toEngagementQuery(
      parseFilter(new URLSearchParams("type=call&owner=u1&from=2025-01-01")),
    );
    const count = async (query: typeof byRows) => (await store.countEngagements(query)).count;
    const before = [await count(byCounters), await count(byRows)];
    // Inflate the counters inside a transaction that is rolled back: only the first moves.
    const sqlite = db.$client;
    sqlite.exec("savepoint probe");
    try {
      sqlite.exec("update engagement_counts set n = n + 1000");
      expect(await count(byCounters)).toBeGreaterThan(before[0]! + 999);
      expect((await store.countFacets(byCounters)).type[0]!.count).toBeGreaterThan(999);
      expect(await count(byRows)).toBe(before[1]);
    } finally {
      sqlite.exec("rollback to probe; release probe");
    }
    expect(await count(byCounters)).toBe(before[0]);
  });

  it("is back-filled by its migration on a database that already holds engagements", async () => {
    const file = path.join(temp.dir, "older.db");
    const before = openDatabase(file, {
      migrationsFolder: migrationsBefore(temp.dir, "_engagement_counts_triggers"),
    });
    const olderStore = storeOn(before);
    const undoWriterSchema = addTodaysWriterSchema(before);
    try {
      await ingestHistory(olderStore);
      expect(countersByGroup(before)).toEqual([]);
    } finally {
      undoWriterSchema();
      await olderStore.close();
    }

    const after = openDatabase(file);
    const afterStore = storeOn(after);
    try {
      expect(countersByGroup(after)).toEqual(rowsByGroup(after));
      await postOne(afterStore, snapshot("e0", 90, { type: "note" }), ACME);
      expect(countersByGroup(after)).toEqual(rowsByGroup(after));
    } finally {
      await afterStore.close();
    }
  });
});
