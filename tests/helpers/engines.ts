/** The engines the integration suite runs on, and a fresh store on each. */
import { inject } from "vitest";
import type { Store } from "@/db/store";
import { createPgStore } from "@/db/pg/store";
import type { PgDatabase } from "@/db/pg/client";
import { createTempDatabase, pointAppAt } from "./temp-db";
import { testEngines, type Engine } from "./test-engines";

export { testEngines, type Engine };

export type EngineStore = {
  engine: Engine;
  store: Store;
  /** The PostgreSQL URL, or the SQLite file. */
  location: string;
  /** The open PostgreSQL connection, when on PostgreSQL. */
  pg?: PgDatabase;
  /** Rows of a check in SQL both engines read alike; `?` placeholders. */
  all(text: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
  one(text: string, ...params: unknown[]): Promise<Record<string, unknown> | undefined>;
  cleanup(): Promise<void>;
};

/** `?` placeholders as PostgreSQL's `$1, $2, …`. */
const numbered = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

let databases = 0;

/** A fresh, migrated database on `engine` with the app's store on it. */
export async function openEngineStore(engine: Engine): Promise<EngineStore> {
  if (engine === "sqlite") {
    const temp = createTempDatabase();
    const all = async (text: string, ...params: unknown[]) =>
      temp.db.$client.prepare(text).all(...params) as Record<string, unknown>[];
    return {
      engine,
      store: temp.store,
      location: temp.file,
      all,
      one: async (text, ...params) => (await all(text, ...params))[0],
      cleanup: temp.cleanup,
    };
  }
  const adminUrl = inject("pgAdminUrl");
  if (!adminUrl) throw new Error("the PostgreSQL cluster did not start (tests/global-setup.ts)");
  const { default: pg } = await import("pg");
  const name = `test_${process.pid}_${++databases}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}" template app_template`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const store = createPgStore({ url: url.toString(), poolSize: 4 });
  const db = await store.ready();
  const all = async (text: string, ...params: unknown[]) =>
    (await db.$client.query(numbered(text), params)).rows as Record<string, unknown>[];
  return {
    engine,
    store,
    location: url.toString(),
    pg: db,
    all,
    one: async (text, ...params) => (await all(text, ...params))[0],
    async cleanup() {
      await store.close();
      const drop = new pg.Client({ connectionString: adminUrl });
      await drop.connect();
      await drop.query(`drop database if exists "${name}" with (force)`);
      await drop.end();
    },
  };
}

/**
 * Points the app's own store (`getStore()`, used by route handlers) at a fresh database on
 * `engine`, so a test drives the real handler against the real engine.
 */
export async function setUpAppStore(
  engine: Engine,
  env: Record<string, string | undefined> = {},
): Promise<EngineStore> {
  const opened = await openEngineStore(engine);
  pointAppAt(opened.store, opened.location, env);
  return opened;
}
