import type Database from "better-sqlite3";
import type { SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import type { AppDatabase } from "./client";

/**
 * Read statements prepared once per connection. Drizzle's `db.all(sql)` prepares its SQL on
 * every call; the read paths run the same few shapes over and over, so each distinct SQL text
 * is prepared once and kept (a bounded cache per connection, dropped with the connection).
 */

type Mode = "rows" | "raw" | "pluck";
type Cache = Map<string, Database.Statement>;

/** Distinct SQL texts kept per connection: filters × IN-list lengths, a few hundred at most. */
const MAX_STATEMENTS = 256;

const caches = new WeakMap<Database.Database, Cache>();
const dialect = new SQLiteSyncDialect();

export function statement(db: AppDatabase, source: string, mode: Mode = "rows") {
  const client = db.$client;
  let cache = caches.get(client);
  if (!cache) {
    cache = new Map();
    caches.set(client, cache);
  }
  const key = `${mode}:${source}`;
  let prepared = cache.get(key);
  if (prepared) {
    // Least recently used last out: re-insert on use.
    cache.delete(key);
  } else {
    prepared = client.prepare(source);
    if (mode === "raw") prepared.raw(true);
    if (mode === "pluck") prepared.pluck(true);
    if (cache.size >= MAX_STATEMENTS) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, prepared);
  return prepared;
}

function compiled(db: AppDatabase, query: SQL, mode: Mode) {
  const { sql, params } = dialect.sqlToQuery(query);
  return { prepared: statement(db, sql, mode), params: params as unknown[] };
}

/** `db.all(query)` through a statement prepared once. */
export function all<T>(db: AppDatabase, query: SQL): T[] {
  const { prepared, params } = compiled(db, query, "rows");
  return prepared.all(...params) as T[];
}

/** `db.get(query)` through a statement prepared once. */
export function get<T>(db: AppDatabase, query: SQL): T | undefined {
  const { prepared, params } = compiled(db, query, "rows");
  return prepared.get(...params) as T | undefined;
}

/** The first column of each row. */
export function pluck<T>(db: AppDatabase, query: SQL): T[] {
  const { prepared, params } = compiled(db, query, "pluck");
  return prepared.all(...params) as T[];
}

/** Drops a connection's prepared read statements (tests that watch what gets prepared). */
export function forgetStatements(db: AppDatabase) {
  caches.delete(db.$client);
}
