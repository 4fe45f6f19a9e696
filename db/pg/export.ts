import { drizzle } from "drizzle-orm/node-postgres";
import type pg from "pg";
import { walkExport, type EngagementExport } from "../export";
import type { EngagementQuery } from "../types";
import type { PgDatabase } from "./client";
import { listEngagements } from "./queries/engagements/list";
import * as schema from "./schema";
import { toStorageError } from "./storage-errors";

/**
 * An export in one REPEATABLE READ READ ONLY transaction on a pooled connection of its own:
 * every batch reads the snapshot of the first, whatever commits meanwhile. Closing it rolls
 * back and returns the connection (dropped instead when it broke).
 */
export async function openPgExport(
  pool: pg.Pool,
  query: EngagementQuery,
  batch?: number,
): Promise<EngagementExport> {
  const client = await pool.connect().catch((error: unknown) => {
    throw toStorageError(error);
  });
  let broken: Error | undefined;
  // A checked-out client whose server goes away emits "error"; unheard, it would end the process.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on("error", onError);
  const release = async () => {
    if (!broken) await client.query("ROLLBACK").catch((error: Error) => (broken = error));
    client.off("error", onError);
    client.release(broken);
  };
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    // The snapshot is taken at the first statement after BEGIN: take it now.
    await client.query("SELECT 1");
  } catch (error) {
    broken = error as Error;
    await release();
    throw toStorageError(error);
  }
  // The list's own queries, on this connection only (drizzle over one client, not the pool).
  const db = drizzle(client, { schema }) as unknown as PgDatabase;
  return walkExport(
    query,
    (batch) =>
      listEngagements(db, batch).catch((error: unknown) => {
        throw toStorageError(error);
      }),
    release,
    batch,
  );
}
