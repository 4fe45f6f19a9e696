/**
 * The benchmark's PostgreSQL reads compare like with like: on a bulk load copied with db:copy,
 * PostgreSQL's Store answers every read case as SQLite's functions do, and the plans the report
 * prints come from the statements those reads send.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase, type AppDatabase } from "@/db/sqlite/client";
import { createPgStore } from "@/db/pg/store";
import type { Store } from "@/db/store";
import { appReads, chartAnchor, storeReads } from "@/scripts/lib/app-reads";
import { copySqliteToPg } from "@/scripts/lib/db-copy/copy";
import { createPgTestDatabase } from "@/scripts/lib/pg-cluster";
import { readCases, toSearchParams } from "@/scripts/lib/read-queries";
import { seedBulk } from "@/scripts/lib/seed";
import { explainRead, summarizePlan } from "@/scripts/bench/pg-reads";
import { testEngines } from "../helpers/engines";

const NOW = Date.parse("2026-03-02T12:00:00Z");
const ROWS = 3_000;

describe.runIf(testEngines().includes("postgres"))("the benchmark's PostgreSQL reads", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-pg-reads-"));
  const file = path.join(dir, "bulk.db");
  let sqlite: AppDatabase;
  let store: Store & { ready: ReturnType<typeof createPgStore>["ready"] };

  beforeAll(async () => {
    seedBulk({ file, count: ROWS, seed: 5, now: NOW });
    const url = await createPgTestDatabase(inject("pgAdminUrl")!, `bench_reads_${process.pid}`);
    await copySqliteToPg({ from: file, to: url });
    sqlite = openDatabase(file);
    store = createPgStore({ url, poolSize: 4 });
  });
  afterAll(async () => {
    await store?.close();
    sqlite?.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("gives every read case SQLite's page and summary", async () => {
    const app = appReads(sqlite);
    const pg = storeReads(store);
    const cases = readCases(sqlite.$client, NOW);
    expect(cases.length).toBeGreaterThan(10);
    for (const c of cases) {
      const filter = app.parse(toSearchParams(c.filter));
      const page = app.page(filter);
      const anchor = chartAnchor(filter, page, NOW);
      const onPg = await pg.page(filter);
      expect(
        onPg.data.map((row) => row.id),
        c.name,
      ).toEqual(page.data.map((row) => row.id));
      const [summary, pgSummary] = [app.summary(filter, anchor), await pg.summary(filter, anchor)];
      expect(pgSummary.count, c.name).toEqual(summary.count);
      expect(pgSummary.facets, c.name).toEqual(summary.facets);
      expect(pgSummary.activity, c.name).toEqual(summary.activity);
    }
  });

  it("explains each statement a read sends, with the index it walks", async () => {
    const pool = (await store.ready()).$client;
    const app = appReads(sqlite);
    const contact = readCases(sqlite.$client, NOW).find((c) => c.name === "contact")!;
    const filter = app.parse(toSearchParams(contact.filter));
    const plans = await explainRead(pool, "page", () => storeReads(store).page(filter));
    // The page, then its names resolved.
    expect(plans.length).toBeGreaterThanOrEqual(2);
    for (const plan of plans) {
      expect(plan.read).toBe("page");
      expect(plan.executionMs).toBeGreaterThanOrEqual(0);
      expect(plan.nodes.length).toBeGreaterThan(0);
    }
    // A contact's page finds its rows by an index of engagement_refs, not by reading the table.
    expect(plans[0]!.nodes.join("\n")).toMatch(/Index (Only )?Scan using engagement_refs_\w+/);
    // The pool answers as before once the capture is undone.
    expect((await pool.query("select 1 as one")).rows).toEqual([{ one: 1 }]);
  });

  it("sums up a plan node by node, indented by depth, and names its widest scan", () => {
    const summary = summarizePlan("summary", "select  count(*)\n from engagements", {
      "Execution Time": 1.234,
      "Planning Time": 0.05,
      Plan: {
        "Node Type": "Aggregate",
        "Actual Total Time": 1.2,
        "Actual Rows": 1,
        "Actual Loops": 1,
        "Shared Hit Blocks": 10,
        "Shared Read Blocks": 2,
        Plans: [
          {
            "Node Type": "Index Only Scan",
            "Index Name": "engagements_started",
            "Relation Name": "engagements",
            Alias: "e",
            "Actual Total Time": 1.1,
            "Actual Rows": 500,
            "Actual Loops": 2,
          },
        ],
      },
    });
    expect(summary).toEqual({
      read: "summary",
      statement: "select count(*) from engagements",
      executionMs: 1.23,
      planningMs: 0.05,
      sharedHit: 10,
      sharedRead: 2,
      nodes: [
        "Aggregate: 1 rows, 1.2 ms",
        "  Index Only Scan using engagements_started on engagements e: 500 rows × 2 loops, 1.1 ms",
      ],
      // The scan that produced the most rows, counting every loop.
      widest: {
        node: "Index Only Scan using engagements_started on engagements e: 500 rows × 2 loops, 1.1 ms",
        type: "Index Only Scan",
        table: "engagements",
        rows: 1000,
      },
    });
  });
});
