import path from "node:path";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import * as schema from "./schema";

export type PgDatabase = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export const PG_MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "pg", "migrations");

/** Any number of processes may start together: the first to take this lock migrates. */
const MIGRATION_LOCK = 7_100_001;

// bigint (int8) and numeric come back as strings by default; our ids and instants fit a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** A pool on `url`. Nothing connects until the first query. */
export function createPgDatabase(url: string, options: { max?: number } = {}): PgDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: "engagement-viewer",
  });
  // An idle client that loses its server emits here; without a listener the process would die.
  pool.on("error", (error) => console.error("postgres: idle connection lost", error.message));
  return drizzle(pool, { schema }) as PgDatabase;
}

/** Applies pending migrations under an advisory lock held for the session of one connection. */
export async function migratePg(db: PgDatabase, migrationsFolder = PG_MIGRATIONS_FOLDER) {
  const client = await db.$client.connect();
  // A checked-out client that loses its server emits here; unheard, it would end the process.
  const onError = (error: Error) =>
    console.error("postgres: migration connection lost", error.message);
  client.on("error", onError);
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await migrate(drizzle(client, { schema }), { migrationsFolder });
    } finally {
      await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } finally {
    client.off("error", onError);
    client.release();
  }
}
