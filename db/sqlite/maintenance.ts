import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { AppDatabase } from "./client";

/**
 * Drops raw bodies (request and stored response) from log rows received before `beforeMs`.
 * The rows stay, and so do idempotency keys with their responses, so retries still dedupe.
 */
export function pruneDeliveryBodies(db: AppDatabase, beforeMs: number) {
  const result = db.run(
    sql`update deliveries set body = null, response_body = null where received_at < ${beforeMs} and body is not null`,
  );
  return { pruned: result.changes };
}

/** A consistent copy of a live database through SQLite's online backup API. */
export async function backupDatabase(db: AppDatabase, destination: string) {
  fs.mkdirSync(path.dirname(path.resolve(destination)), { recursive: true });
  await db.$client.backup(destination);
  return { destination: path.resolve(destination), bytes: fs.statSync(destination).size };
}
