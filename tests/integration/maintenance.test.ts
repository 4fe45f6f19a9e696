import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { backupDatabase, findPgDump } from "@/db/pg/maintenance";
import type { Store } from "@/db/store";
import { ingest } from "@/lib/ingest/ingest";
import { reprocessDelivery } from "@/lib/ingest/reprocess";
import { pruneDeliveryBodies } from "@/lib/maintenance";
import { openEngineStore, testEngines, type EngineStore } from "../helpers/engines";
import { engagementEvent } from "../helpers/morph";

const DAY = 24 * 60 * 60 * 1000;

describe.each(testEngines())("maintenance on %s", (engine) => {
  let temp: EngineStore;
  let store: Store;
  beforeAll(async () => {
    temp = await openEngineStore(engine);
    store = temp.store;
  });
  afterAll(() => temp.cleanup());

  function deliver(body: unknown, options: { key?: string; receivedAt?: number } = {}) {
    return ingest(store, typeof body === "string" ? body : JSON.stringify(body), {
      connectorId: "hubspot",
      connectionOwnerId: "acme-prod",
      idempotencyKey: options.key ?? randomUUID(),
      headers: {},
      receivedAt: options.receivedAt ?? Date.now(),
    });
  }
  const row = async (id: number) => (await temp.one("select * from deliveries where id = ?", id))!;
  const headersOf = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value);

  describe("retention", () => {
    it("prunes raw bodies past the retention period, keeps the rows, and old keys still dedupe", async () => {
      const key = randomUUID();
      const body = JSON.stringify(engagementEvent("ret-1", "2025-03-06T10:00:00Z"));
      const old = await deliver(body, { key, receivedAt: Date.now() - 100 * DAY });
      const recent = await deliver(engagementEvent("ret-2", "2025-03-06T10:00:00Z"));

      const { pruned } = await pruneDeliveryBodies(store, 90);
      expect(pruned).toBeGreaterThanOrEqual(1);
      expect(await row(old.deliveryId)).toMatchObject({ body: null, outcome: "applied" });
      expect((await row(recent.deliveryId)).body).not.toBeNull();

      const retry = await deliver(body, { key });
      expect(retry).toMatchObject({ status: 200, outcome: "duplicate", body });
    });
  });

  describe("reprocess", () => {
    it("re-applies a conflicting delivery through the same rules, once, with its own log row", async () => {
      const key = randomUUID();
      const first = engagementEvent("rep-1", "2025-03-06T10:00:00Z", {
        fields: { title: "first" },
      });
      await deliver(first, { key });
      const second = engagementEvent("rep-1", "2025-03-07T10:00:00Z", {
        fields: { title: "second" },
      });
      const conflict = await deliver(second, { key });
      expect(conflict.status).toBe(409);

      const again = await reprocessDelivery(store, conflict.deliveryId);
      expect(again).toMatchObject({ status: 200, outcome: "applied" });
      expect(headersOf((await row(again.deliveryId)).headers)).toMatchObject({
        "x-reprocess-of": String(conflict.deliveryId),
      });
      const title = await temp.one("select title from engagements where external_id = 'rep-1'");
      expect(title).toEqual({ title: "second" });
      expect((await reprocessDelivery(store, conflict.deliveryId)).outcome).toBe("duplicate");
    });

    it("refuses to reprocess an applied delivery", async () => {
      const applied = await deliver(engagementEvent("rep-2", "2025-03-06T10:00:00Z"));
      await expect(reprocessDelivery(store, applied.deliveryId)).rejects.toThrow(
        /rejected or conflicting/,
      );
    });
  });

  describe("backup", () => {
    // Each engine copies the live database its own way: SQLite's online backup API, pg_dump.
    it.runIf(engine === "sqlite")("copies a live SQLite database consistently", async () => {
      await deliver(engagementEvent("bak-1", "2025-03-06T10:00:00Z"));
      const destination = path.join(path.dirname(temp.location), "backup.db");
      const { bytes } = await store.backup(destination);
      expect(bytes).toBeGreaterThan(0);
      const copy = new Database(destination, { readonly: true });
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(
        copy.prepare("select count(*) n from engagements where external_id = 'bak-1'").get(),
      ).toEqual({ n: 1 });
      copy.close();
      expect(fs.existsSync(destination)).toBe(true);
    });

    it.runIf(engine === "postgres" && findPgDump() !== null)(
      "dumps a live PostgreSQL database with pg_dump, and the dump restores",
      async () => {
        await deliver(engagementEvent("bak-1", "2025-03-06T10:00:00Z"));
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pg-backup-"));
        try {
          const destination = path.join(dir, "nested", "app.dump");
          const backup = await store.backup(destination);
          expect(backup).toEqual({ destination, bytes: fs.statSync(destination).size });
          expect(fs.readFileSync(destination).subarray(0, 5).toString()).toBe("PGDMP");
          const restored = await restoreDump(destination);
          expect(restored).toEqual([{ n: 1 }]);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    );

    it.runIf(engine === "postgres" && findPgDump() !== null)(
      "says why pg_dump failed, without the password",
      async () => {
        const url = "postgres://app:s3cret-word@127.0.0.1:1/nowhere";
        const failed = await backupDatabase(url, "/tmp/never.dump").catch((error: Error) => error);
        expect(failed).toBeInstanceOf(Error);
        expect((failed as Error).message).toMatch(/^pg_dump failed: /);
        expect((failed as Error).message).not.toContain("s3cret-word");
      },
    );

    it.runIf(engine === "postgres")("says so when pg_dump cannot be found", async () => {
      await expect(backupDatabase(temp.location, "/tmp/never.dump", null)).rejects.toThrow(
        /pg_dump was not found on PATH or in \/usr\/lib\/postgresql/,
      );
    });
  });
});

/** Restores a custom-format dump into a database of its own; the engagement count it holds. */
async function restoreDump(file: string) {
  const adminUrl = inject("pgAdminUrl")!;
  const name = `restored_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const pgRestore = path.join(path.dirname(findPgDump()!), "pg_restore");
    execFileSync(pgRestore, ["--no-owner", "-d", url.toString(), file], { stdio: "pipe" });
    const copy = new pg.Client({ connectionString: url.toString() });
    await copy.connect();
    const { rows } = await copy.query(
      "select count(*)::int as n from engagements where external_id = 'bak-1'",
    );
    await copy.end();
    return rows;
  } finally {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}
