/** `npm run db:migrate`, `db:prune` and `db:backup` on each engine, from DATABASE_URL alone. */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createPgStore } from "@/db/pg/store";
import { createSqliteStore } from "@/db/sqlite/store";
import type { Store } from "@/db/store";
import { ingest } from "@/lib/ingest/ingest";
import { createPgTestDatabase, findPgBin } from "@/scripts/lib/pg-cluster";
import { testEngines, type Engine } from "../helpers/engines";
import { engagementEvent } from "../helpers/morph";

const run = promisify(execFile);
const DAY = 24 * 60 * 60 * 1000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "db-scripts-"));
const dropped: string[] = [];

afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  if (dropped.length === 0) return;
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: inject("pgAdminUrl")! });
  await admin.connect();
  for (const name of dropped) await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
});

/** `npm run <script>` as its own process, on `url`. */
function runScript(file: string, url: string, args: string[] = []) {
  return run(process.execPath, ["--import", "tsx", `scripts/${file}`, ...args], {
    env: { ...process.env, DATABASE_URL: url, LOG_RETENTION_DAYS: "90" },
  });
}

/** A database no migration has touched yet, with a password in its URL (trust auth lets it in). */
async function newDatabase(engine: Engine): Promise<string> {
  if (engine === "sqlite") return path.join(dir, "app.db");
  const name = `scripts_${process.pid}`;
  dropped.push(name);
  const url = new URL(await createPgTestDatabase(inject("pgAdminUrl")!, name));
  url.password = "s3cret-pw";
  return url.toString();
}

const openStore = (engine: Engine, url: string): Store =>
  engine === "sqlite"
    ? createSqliteStore({ file: url, writer: "inline", summaries: "inline" })
    : createPgStore({ url });

describe.each(testEngines())("database scripts on %s", (engine) => {
  let url: string;

  it("db:migrate creates the tables in a new database", async () => {
    url = await newDatabase(engine);
    const { stdout } = await runScript("migrate.ts", url);
    expect(stdout).toMatch(/^Migrated /);
    expect(stdout).not.toContain("s3cret-pw");
    const store = openStore(engine, url);
    try {
      expect(await store.hasAnyEngagement()).toBe(false);
    } finally {
      await store.close();
    }
  });

  it("db:prune drops bodies past the retention period, and only those", async () => {
    const store = openStore(engine, url);
    try {
      for (const [key, age] of [
        ["old-1", 100 * DAY],
        ["new-1", 0],
      ] as const) {
        const body = JSON.stringify(engagementEvent(key, "2025-03-06T10:00:00Z"));
        const meta = { connectorId: "hubspot", connectionOwnerId: "acme", headers: {} };
        await ingest(store, body, { ...meta, idempotencyKey: key, receivedAt: Date.now() - age });
      }
    } finally {
      await store.close();
    }
    const { stdout } = await runScript("db-prune.ts", url);
    expect(stdout).toMatch(/^Pruned raw bodies of 1 deliveries received before .* \(90 days\)/);
    expect(stdout).not.toContain("s3cret-pw");
  });

  it("db:backup writes a copy that restores (pg_restore on PostgreSQL)", async () => {
    const destination = path.join(dir, `backup-${engine}`);
    const { stdout } = await runScript("db-backup.ts", url, [destination]);
    expect(stdout).toContain(`to ${destination}`);
    expect(stdout).not.toContain("s3cret-pw");
    let restored = destination;
    if (engine === "postgres") {
      const name = `scripts_${process.pid}_restored`;
      dropped.push(name);
      restored = await createPgTestDatabase(inject("pgAdminUrl")!, name);
      const pgRestore = path.join(findPgBin()!, "pg_restore");
      await run(pgRestore, ["--no-owner", "-d", restored, destination]);
    }
    const copy = openStore(engine, restored);
    try {
      expect(await copy.hasAnyEngagement()).toBe(true);
    } finally {
      await copy.close();
    }
  });
});

describe("database scripts that fail", () => {
  it("say why in one line, without the password, and exit 1", async () => {
    const url = "postgres://postgres:s3cret-pw@127.0.0.1:1/app";
    const failure = runScript("migrate.ts", url);
    await expect(failure).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^db:migrate: .*ECONNREFUSED/),
    });
    await expect(failure).rejects.not.toMatchObject({ stderr: expect.stringContaining("s3cret") });
  });
});
