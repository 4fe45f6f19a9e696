/** The SQLite side of `db:copy`: one read snapshot of the file, walked in keyset batches. */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { MIGRATIONS_FOLDER } from "@/db/sqlite/client";
import { readSetting } from "@/db/sqlite/settings";
import type { SettingName } from "@/db/types";
import type { TableCopy } from "./tables";

export class CopyError extends Error {}

export type Batch = { rows: unknown[][]; first: unknown[]; last: unknown[] };
export type BatchLimits = { rows: number; chars: number };

/** Opens `file` read-only, refusing one the app's migrations have not all reached. */
export function openSource(file: string): Database.Database {
  if (!fs.existsSync(file)) throw new CopyError(`${file}: no such file`);
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    assertMigrated(sqlite, file);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return sqlite;
}

function assertMigrated(sqlite: Database.Database, file: string) {
  const journal = JSON.parse(
    fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"),
  ) as { entries: { when: number }[] };
  const newest = journal.entries.at(-1)!.when;
  let applied: number | null;
  try {
    applied = sqlite.prepare("SELECT max(created_at) FROM __drizzle_migrations").pluck().get() as
      number | null;
  } catch {
    throw new CopyError(`${file} is not a database of this app (it has no migrations table)`);
  }
  if (applied === null || applied < newest) {
    throw new CopyError(
      `${file} is from an earlier release: upgrade it first with ` +
        `\`DATABASE_URL=${file} npm run db:migrate\`, then copy it`,
    );
  }
}

/** Rows of each table and the highest id SQLite ever handed out (AUTOINCREMENT never reuses one). */
export function describeSource(sqlite: Database.Database, copy: TableCopy) {
  const rows = sqlite.prepare(`SELECT count(*) FROM ${copy.from}`).pluck().get() as number;
  const issued = sqlite
    .prepare("SELECT seq FROM sqlite_sequence WHERE name = ?")
    .pluck()
    .get(copy.table) as number | undefined;
  return { rows, issuedId: issued ?? 0 };
}

/**
 * The table's rows in key order, a batch at a time, each row its columns then its key. Each
 * batch ends at `limits.rows` rows or `limits.chars` characters of text (delivery bodies reach
 * 1 MiB), whichever comes first; between batches no statement is open.
 */
export function* readBatches(
  sqlite: Database.Database,
  copy: TableCopy,
  limits: BatchLimits,
): Generator<Batch> {
  const select = copy.columns.map((column) => copy.sourceOf(column.name)).concat(copy.key);
  const head = `SELECT ${select.join(", ")} FROM ${copy.from}`;
  const order = `ORDER BY ${copy.key.join(", ")}`;
  const after = `WHERE (${copy.key.join(", ")}) > (${copy.key.map(() => "?").join(", ")})`;
  const first = sqlite.prepare(`${head} ${order}`).raw();
  const next = sqlite.prepare(`${head} ${after} ${order}`).raw();
  let key: unknown[] | null = null;
  for (;;) {
    const rows = collect(key === null ? first.iterate() : next.iterate(...key), limits);
    if (rows.length === 0) return;
    const width = copy.columns.length;
    key = rows.at(-1)!.slice(width);
    yield { rows, first: rows[0].slice(width), last: key };
  }
}

function collect(iterator: IterableIterator<unknown>, limits: BatchLimits): unknown[][] {
  const rows: unknown[][] = [];
  let chars = 0;
  for (const row of iterator as IterableIterator<unknown[]>) {
    rows.push(row);
    for (const value of row) if (typeof value === "string") chars += value.length;
    // Leaving the loop closes the statement (better-sqlite3 resets it on return()).
    if (rows.length >= limits.rows || chars >= limits.chars) break;
  }
  return rows;
}

const SETTING_NAMES: SettingName[] = ["webhook-secret", "app-password"];

/** The settings SQLite keeps in files beside the database (db/sqlite/settings.ts). */
export function readSettingFiles(file: string): { name: SettingName; value: string }[] {
  return SETTING_NAMES.flatMap((name) => {
    const value = readSetting(path.resolve(file), name);
    return value ? [{ name, value }] : [];
  });
}
