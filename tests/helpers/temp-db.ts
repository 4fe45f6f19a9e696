import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Store } from "@/db/store";
import { openDatabase, type AppDatabase } from "@/db/sqlite/client";
import { createSqliteStore, type SqliteStoreOptions } from "@/db/sqlite/store";

export type TempDatabase = {
  /** The store the app would use, writing and summarizing on this thread. */
  store: Store;
  /** Its connection, for checks in SQL. */
  db: AppDatabase;
  file: string;
  dir: string;
  cleanup(): Promise<void>;
};

/** A fresh, migrated SQLite file in a temporary folder, with a store on it; removed by `cleanup()`. */
export function createTempDatabase(
  options: Omit<SqliteStoreOptions, "file" | "db"> = {},
): TempDatabase {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engagements-test-"));
  const file = path.join(dir, "app.db");
  const db = openDatabase(file);
  const store = createSqliteStore({ db, writer: "inline", summaries: "inline", ...options });
  return {
    store,
    db,
    file,
    dir,
    async cleanup() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Points the app's own store (`getStore()`, used by route handlers) at a fresh temporary file,
 * so a test drives the real handler against real SQLite.
 */
export function setUpAppDatabase(env: Record<string, string | undefined> = {}) {
  const temp = createTempDatabase();
  pointAppAt(temp.store, temp.file, env);
  return temp;
}

/** Makes `store` the app's own (`getStore()`), at `location`, with `env` set (undefined unsets). */
export function pointAppAt(
  store: Store,
  location: string,
  env: Record<string, string | undefined> = {},
) {
  const g = globalThis as unknown as { appStore?: Store; appSecrets?: unknown };
  g.appStore = store;
  g.appSecrets = undefined;
  process.env.DATABASE_URL = location;
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

/**
 * A copy of the app's migrations in `dir` that stops before the one whose tag ends with
 * `tag`: a database opened with it is one from before that migration, to test the upgrade.
 */
export function migrationsBefore(dir: string, tag: string) {
  const folder = path.join(dir, `migrations-before${tag}`);
  fs.cpSync(path.join(process.cwd(), "db", "sqlite", "migrations"), folder, { recursive: true });
  const journalFile = path.join(folder, "meta", "_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalFile, "utf8")) as {
    entries: { tag: string }[];
  };
  const upTo = journal.entries.findIndex((e) => e.tag.endsWith(tag));
  if (upTo <= 0) throw new Error(`no migration tagged *${tag} after the first`);
  journal.entries = journal.entries.slice(0, upTo);
  fs.writeFileSync(journalFile, JSON.stringify(journal));
  return folder;
}

/**
 * What today's writer needs of a database opened at an older migration, so that a test can fill
 * it with today's ingest: the version table of migration 0010 and the key's resource columns of
 * 0008 (each only where missing). The returned function takes them out again, before the
 * database is upgraded, so the migrations meet the older schema they were written for.
 */
export function addTodaysWriterSchema(db: AppDatabase): () => void {
  const client = db.$client;
  const undo: string[] = [];
  const keyColumns = (client.pragma("table_info(idempotency_keys)") as { name: string }[]).map(
    (column) => column.name,
  );
  for (const column of ["model", "resource_id"]) {
    if (keyColumns.includes(column)) continue;
    client.exec(`ALTER TABLE idempotency_keys ADD COLUMN ${column} text DEFAULT '' NOT NULL`);
    undo.push(`ALTER TABLE idempotency_keys DROP COLUMN ${column}`);
  }
  const hasHistory = client
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'engagement_history'")
    .get();
  if (!hasHistory) {
    const sql = fs.readFileSync(
      path.join(process.cwd(), "db", "sqlite", "migrations", "0010_engagement_history.sql"),
      "utf8",
    );
    client.exec(sql.split("--> statement-breakpoint")[0]!);
    undo.push("DROP TABLE engagement_history");
  }
  return () => {
    for (const statement of undo) client.exec(statement);
  };
}
