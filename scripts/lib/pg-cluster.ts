/** A throwaway PostgreSQL cluster from the machine's own binaries (tests, the bench, `npm run pg:local`). */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { findPgBinary } from "../../db/pg/binaries";

export type PgCluster = {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: trust auth, for creating databases. */
  adminUrl: string;
  port: number;
  dir: string;
  /** False when the folder held a cluster already (`options.dir`), whose data is kept. */
  created: boolean;
  /** `pg_ctl stop` with a mode: "immediate" is a crash. */
  stop(mode?: "fast" | "immediate"): void;
  start(): void;
  destroy(): void;
};

export const HOW_TO_GET_POSTGRES =
  "PostgreSQL's server binaries (initdb, pg_ctl) were not found. Install them " +
  "(Debian: apt-get install -y postgresql) or set PG_BIN to their folder; " +
  "or run the SQLite half alone with `npm run test:sqlite`.";

/** The folder holding initdb and pg_ctl (db/pg/binaries.ts says where it looks). */
export function findPgBin(): string | null {
  const pgCtl = findPgBinary("pg_ctl");
  return pgCtl && path.dirname(pgCtl);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const isRoot = process.getuid?.() === 0;

/** initdb refuses root: as root, the cluster belongs to the `postgres` user. */
function runAsOwner(bin: string, args: string[]) {
  const [file, argv] = isRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  execFileSync(file, argv, { stdio: ["ignore", "pipe", "pipe"] });
}

export type PgClusterOptions = {
  /** Keep the cluster in this folder: created when missing, reused when it holds one. */
  dir?: string;
  port?: number;
};

/** A cluster folder: the socket in `dir` (writable by its owner), the data in `dir/data`. */
function prepareClusterDir(bin: string, dir: string): { data: string; created: boolean } {
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o777);
  const data = path.join(dir, "data");
  if (fs.existsSync(path.join(data, "PG_VERSION"))) return { data, created: false };
  fs.mkdirSync(data, { recursive: true });
  if (isRoot) execFileSync("chown", ["postgres", data]);
  runAsOwner(path.join(bin, "initdb"), [
    "-D",
    data,
    "--auth=trust",
    "-U",
    "postgres",
    "--no-instructions",
    "--encoding=UTF8",
  ]);
  return { data, created: true };
}

/**
 * Starts a cluster: in a new temporary folder, or in `options.dir`, kept between runs. A
 * cluster already running in that folder is refused: two servers cannot share one.
 */
export async function startPgCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  const bin = findPgBin();
  if (!bin) throw new Error(HOW_TO_GET_POSTGRES);
  const dir = options.dir
    ? path.resolve(options.dir)
    : fs.mkdtempSync(path.join(os.tmpdir(), "pg-cluster-"));
  const { data, created } = prepareClusterDir(bin, dir);
  const port = options.port ?? (await freePort());
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  const pgCtl = (...args: string[]) =>
    runAsOwner(path.join(bin, "pg_ctl"), ["-D", data, "-w", "-l", path.join(dir, "log"), ...args]);
  if (!created && isRunning(bin, data)) {
    throw new Error(`a PostgreSQL server is already running on ${data}; stop it first`);
  }
  const cluster: PgCluster = {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    created,
    start: () => pgCtl("-o", serverOptions, "start"),
    stop: (mode = "fast") => pgCtl("-m", mode, "stop"),
    destroy() {
      try {
        cluster.stop("immediate");
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    cluster.start();
  } catch (error) {
    const log = tailOf(path.join(dir, "log"));
    if (!options.dir) fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start on port ${port}:\n${log}`, { cause: error });
  }
  return cluster;
}

/** The server log's last lines: why it did not start (a port in use, a bad folder). */
function tailOf(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").trim().split("\n").slice(-5).join("\n");
  } catch {
    return "(no log)";
  }
}

/** `pg_ctl status`: 0 while a server runs on `data`. */
function isRunning(bin: string, data: string): boolean {
  try {
    runAsOwner(path.join(bin, "pg_ctl"), ["-D", data, "status"]);
    return true;
  } catch {
    return false;
  }
}

/** Runs `fn` on a connection as the cluster's superuser. */
async function onAdmin(adminUrl: string, fn: (client: import("pg").Client) => Promise<unknown>) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(adminUrl: string, name: string) {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates database `name` unless the cluster has it already; its URL. */
export async function ensurePgDatabase(adminUrl: string, name: string): Promise<string> {
  await onAdmin(adminUrl, async (client) => {
    const found = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount === 0) await client.query(`create database "${name}"`);
  });
  return databaseUrl(adminUrl, name);
}

/** A fresh database on the cluster; its URL. */
export async function createPgTestDatabase(adminUrl: string, name: string): Promise<string> {
  await onAdmin(adminUrl, (client) => client.query(`create database "${name}"`));
  return databaseUrl(adminUrl, name);
}
