import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { walkExport, type EngagementExport } from "../export";
import * as schema from "../schema";
import type { EngagementQuery } from "../types";
import type { AppDatabase } from "./client";
import {
  createReadContext,
  withQuery,
  type ReadContext,
  type ReadTuning,
} from "./queries/engagements/context";
import { listEngagements } from "./queries/engagements/list";
import { withStorageErrors } from "./storage-errors";

/**
 * An export on a read-only connection of its own, in one read transaction: under WAL it reads
 * the snapshot of its first read whatever is committed meanwhile, and never blocks the writer
 * (a checkpoint only stops short of the frames it still reads). Closing the connection ends it.
 */
export function openSqliteExport(
  file: string,
  query: EngagementQuery,
  tuning: ReadTuning,
  batch?: number,
): EngagementExport {
  const client = withStorageErrors(
    () => new Database(file, { readonly: true, fileMustExist: true }),
  );
  let ctx: ReadContext;
  try {
    client.pragma("busy_timeout = 5000");
    const db = drizzle(client, { schema }) as AppDatabase;
    client.exec("BEGIN");
    // A deferred transaction takes its snapshot at its first read: take it now.
    withStorageErrors(() => client.prepare("SELECT count(*) FROM sqlite_schema").get());
    ctx = createReadContext(db, query, tuning);
  } catch (error) {
    client.close();
    throw error;
  }
  return walkExport(
    query,
    async (batch) => withStorageErrors(() => listEngagements(withQuery(ctx, batch))),
    async () => void client.close(),
    batch,
  );
}
