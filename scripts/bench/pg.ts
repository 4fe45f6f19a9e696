/**
 * The run's own PostgreSQL: a throwaway cluster (scripts/lib/pg-cluster.ts) with initdb's
 * defaults, durability included (fsync on, synchronous_commit on), removed at cleanup.
 */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { createPgTestDatabase, startPgCluster, type PgCluster } from "../lib/pg-cluster";
import { log, type Harness } from "./harness";

/** The server settings a reader of the figures wants to see beside them. */
const SHOWN_SETTINGS = [
  "fsync",
  "synchronous_commit",
  "wal_level",
  "shared_buffers",
  "work_mem",
  "effective_cache_size",
  "max_connections",
  "jit",
];

export type PgServerInfo = { version: string; settings: Record<string, string> };

export type BenchPg = {
  cluster: PgCluster;
  /** The postmaster: every backend, and the server's own processes, run under it. */
  postmasterPid: number;
  info: PgServerInfo;
  /** A new, empty database on the cluster; its URL. */
  createDatabase(name: string): Promise<string>;
};

/** Runs `fn` on one connection to `url`, closed afterwards. */
export async function onPg<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function describeServer(adminUrl: string): Promise<PgServerInfo> {
  return onPg(adminUrl, async (client) => {
    const version = (await client.query<{ v: string }>("select version() as v")).rows[0]!.v;
    const { rows } = await client.query<{ name: string; setting: string; unit: string | null }>(
      "select name, setting, unit from pg_settings where name = any($1::text[])",
      [SHOWN_SETTINGS],
    );
    const settings: Record<string, string> = {};
    for (const { name, setting, unit } of rows) {
      // shared_buffers and effective_cache_size come in 8 kB pages, work_mem in kB.
      settings[name] =
        unit === "8kB"
          ? `${Math.round((Number(setting) * 8) / 1024)}MB`
          : unit === "kB"
            ? `${Math.round(Number(setting) / 1024)}MB`
            : setting;
    }
    return { version: version.split(" on ")[0]!, settings };
  });
}

/** Starts the cluster and arranges its removal when the harness cleans up. */
export async function startBenchPg(harness: Harness): Promise<BenchPg> {
  const cluster = await startPgCluster();
  harness.onCleanup(() => cluster.destroy());
  const pidFile = path.join(cluster.dir, "data", "postmaster.pid");
  const postmasterPid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  const info = await describeServer(cluster.adminUrl);
  log(
    `PostgreSQL: ${info.version} on port ${cluster.port} (${Object.entries(info.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ")})`,
  );
  return {
    cluster,
    postmasterPid,
    info,
    createDatabase: (name) => createPgTestDatabase(cluster.adminUrl, name),
  };
}

/** The server's counters a write load moves: its WAL, its flushes to disk, each database's transactions. */
export type PgCounters = {
  /** The WAL position in bytes: its difference is exact the moment it is read. */
  walPosition: number;
  /** WAL flushes to disk (fsync/fdatasync) since the cluster started: one can carry many commits. */
  walSyncs: number;
  databases: Record<string, { commits: number; rollbacks: number }>;
};

/**
 * Backends report their flushes and transactions when they go idle, 10 s later at most
 * (PostgreSQL's PGSTAT_IDLE_INTERVAL): read those after a load once its connections have idled
 * that long. The WAL position needs no wait.
 */
export const PG_STATS_SETTLE_MS = 10_500;

export function pgCounters(adminUrl: string): Promise<PgCounters> {
  return onPg(adminUrl, async (client) => {
    const { rows } = await client.query<{ walPosition: number; walSyncs: number }>(
      `select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 as "walPosition",
              (select wal_sync::float8 from pg_stat_wal) as "walSyncs"`,
    );
    const { rows: databases } = await client.query<{
      name: string;
      commits: number;
      rollbacks: number;
    }>(
      `select datname as name, xact_commit::float8 as commits, xact_rollback::float8 as rollbacks
         from pg_stat_database where datname is not null`,
    );
    return {
      ...rows[0]!,
      databases: Object.fromEntries(databases.map(({ name, ...n }) => [name, n])),
    };
  });
}
