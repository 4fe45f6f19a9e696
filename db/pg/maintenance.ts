import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { findPgBinary } from "./binaries";
import { promisify } from "node:util";
import type { PgDatabase } from "./client";
import { inTransaction } from "./ingest/transaction";

/** Beside the migration lock (client.ts): one process at a time prunes. */
export const PRUNE_LOCK = 7_100_002;

/**
 * Drops raw bodies (request and stored response) from log rows received before `beforeMs`.
 * The rows stay, and so do idempotency keys with their responses, so retries still dedupe.
 * Every app process schedules this; the one that does not get the lock answers 0 at once.
 */
export async function pruneDeliveryBodies(db: PgDatabase, beforeMs: number) {
  return inTransaction(db.$client, async (client) => {
    const lock = await client.query<{ locked: boolean }>(
      "select pg_try_advisory_xact_lock($1) as locked",
      [PRUNE_LOCK],
    );
    if (!lock.rows[0]?.locked) return { pruned: 0 };
    const result = await client.query(
      `update deliveries set body = null, response_body = null
        where received_at < $1 and body is not null`,
      [beforeMs],
    );
    return { pruned: result.rowCount ?? 0 };
  });
}

/** pg_dump, found as every PostgreSQL program is (db/pg/binaries.ts). */
export function findPgDump(searchPath = process.env.PATH ?? "", debian?: string): string | null {
  return findPgBinary("pg_dump", { searchPath, debian });
}

/** The URL without its password, and the password for PGPASSWORD: never on a command line. */
function splitPassword(url: string) {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password) || parsed.searchParams.get("password");
  parsed.password = "";
  parsed.searchParams.delete("password");
  return { url: parsed.toString(), password };
}

/** A consistent copy of the live database: pg_dump's custom format (`pg_restore` reads it). */
export async function backupDatabase(url: string, destination: string, pgDump = findPgDump()) {
  if (!pgDump) {
    throw new Error(
      "pg_dump was not found on PATH or in /usr/lib/postgresql/*/bin: install PostgreSQL's " +
        "client tools (Debian: apt-get install postgresql-client) to back up a PostgreSQL database.",
    );
  }
  const target = path.resolve(destination);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const { url: dbname, password } = splitPassword(url);
  const env = password ? { ...process.env, PGPASSWORD: password } : process.env;
  try {
    await promisify(execFile)(pgDump, ["-Fc", "--no-password", "-f", target, "-d", dbname], {
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`pg_dump failed${stderr ? `: ${stderr}` : ""}`, { cause: error });
  }
  return { destination: target, bytes: fs.statSync(target).size };
}
