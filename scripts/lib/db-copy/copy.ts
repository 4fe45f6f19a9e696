/**
 * A SQLite database's data into an empty PostgreSQL database, ids and all, in one transaction:
 * a copy that fails leaves the target as it was, and can simply be run again.
 */
import type Database from "better-sqlite3";
import type pg from "pg";
import { createPgDatabase, migratePg } from "@/db/pg/client";
import { redactDatabaseUrl } from "@/lib/config";
import {
  describeSource,
  openSource,
  readBatches,
  readSettingFiles,
  type Batch,
  type BatchLimits,
} from "./source";
import { deferIndexes } from "./indexes";
import { TABLE_COPIES, type TableCopy } from "./tables";
import {
  claimEmptyTarget,
  copySettings,
  createInserter,
  explainRefusedBatch,
  moveIdentityPast,
} from "./target";

export { CopyError } from "./source";

export type CopyProgress = { table: string; copied: number; total: number; seconds: number };

export type CopyOptions = {
  from: string;
  to: string;
  batch?: Partial<BatchLimits>;
  onProgress?: (progress: CopyProgress) => void;
};

export type CopySummary = {
  tables: { table: string; rows: number; seconds: number }[];
  settings: { copied: string[]; replaced: string[] };
  seconds: number;
};

const DEFAULT_LIMITS: BatchLimits = { rows: 5_000, chars: 16 * 1024 * 1024 };

const secondsSince = (start: number) => Math.round(performance.now() - start) / 1000;

type TableRun = {
  client: pg.PoolClient;
  sqlite: Database.Database;
  copy: TableCopy;
  limits: BatchLimits;
  onProgress: (progress: CopyProgress) => void;
};

/**
 * One table, batch by batch, reading the next batch while PostgreSQL writes the last; a batch
 * it refuses is explained row by row.
 */
async function copyTable({ client, sqlite, copy, limits, onProgress }: TableRun) {
  const started = performance.now();
  const { rows: total, issuedId } = describeSource(sqlite, copy);
  const insert = createInserter(client, copy);
  const rebuildIndexes = await deferIndexes(client, copy.table);
  let copied = 0;
  let writing: { batch: Batch; failure: Promise<unknown> } | null = null;
  const settle = async () => {
    const failure = writing && (await writing.failure);
    if (failure) {
      await client.query("ROLLBACK");
      throw await explainRefusedBatch(client, copy, writing!.batch, failure);
    }
    copied += writing?.batch.rows.length ?? 0;
    onProgress({ table: copy.table, copied, total, seconds: secondsSince(started) });
  };
  for (const batch of readBatches(sqlite, copy, limits)) {
    await settle();
    // Settled to its error (or null) at once, so a refusal is never an unhandled rejection.
    writing = {
      batch,
      failure: insert(batch.rows).then(
        () => null,
        (error: unknown) => error,
      ),
    };
  }
  await settle();
  await rebuildIndexes();
  await moveIdentityPast(client, copy, issuedId);
  return { table: copy.table, rows: copied, seconds: secondsSince(started) };
}

/** Copies `from` (a SQLite file) into `to` (a PostgreSQL URL), migrating `to` first. */
export async function copySqliteToPg(options: CopyOptions): Promise<CopySummary> {
  const started = performance.now();
  const limits = { ...DEFAULT_LIMITS, ...options.batch };
  const onProgress = options.onProgress ?? (() => {});
  const sqlite = openSource(options.from);
  const db = createPgDatabase(options.to, { max: 1 });
  try {
    await migratePg(db);
    const client = await db.$client.connect();
    try {
      // One read transaction: every table from the same snapshot, even while the app writes.
      sqlite.exec("BEGIN");
      await client.query("BEGIN");
      // Memory for the index builds at the end of each table; this transaction only.
      await client.query("SET LOCAL maintenance_work_mem = '256MB'");
      await claimEmptyTarget(client, TABLE_COPIES, redactDatabaseUrl(options.to));
      const tables = [];
      for (const copy of TABLE_COPIES) {
        tables.push(await copyTable({ client, sqlite, copy, limits, onProgress }));
      }
      const settings = await copySettings(client, readSettingFiles(options.from));
      await client.query("COMMIT");
      // Fresh statistics, so the first queries on a million rows plan as they will later.
      await client.query(`ANALYZE ${TABLE_COPIES.map((copy) => copy.table).join(", ")}`);
      return { tables, settings, seconds: secondsSince(started) };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  } finally {
    sqlite.close();
    await db.$client.end();
  }
}
