/** A throwaway PostgreSQL cluster from the machine's own binaries (tests, the bench, `npm run pg:local`). */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export type PgCluster = {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: trust auth, for creating databases. */
  adminUrl: string;
  port: number;
  dir: string;
  /** `pg_ctl stop` with a mode: "immediate" is a crash. */
  stop(mode?: "fast" | "immediate"): void;
  start(): void;
  destroy(): void;
};

export const HOW_TO_GET_POSTGRES =
  "PostgreSQL's server binaries (initdb, pg_ctl) were not found. Install them " +
  "(Debian: apt-get install -y postgresql) or set PG_BIN to their folder; " +
  "or run the SQLite half alone with `npm run test:sqlite`.";

/** The folder holding initdb and pg_ctl: PG_BIN, else Debian's newest version, else PATH. */
export function findPgBin(): string | null {
  const candidates = [process.env.PG_BIN];
  const debian = "/usr/lib/postgresql";
  if (fs.existsSync(debian)) {
    const versions = fs.readdirSync(debian).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(debian, v, "bin")));
  }
  for (const dir of candidates) {
    if (dir && fs.existsSync(path.join(dir, "pg_ctl"))) return dir;
  }
  const which = spawnSync("sh", ["-c", "command -v pg_ctl"], { encoding: "utf8" });
  return which.status === 0 ? path.dirname(which.stdout.trim()) : null;
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

export async function startPgCluster(): Promise<PgCluster> {
  const bin = findPgBin();
  if (!bin) throw new Error(HOW_TO_GET_POSTGRES);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pg-cluster-"));
  fs.chmodSync(dir, 0o777);
  const data = path.join(dir, "data");
  fs.mkdirSync(data);
  if (isRoot) execFileSync("chown", ["postgres", data]);
  const port = await freePort();
  runAsOwner(path.join(bin, "initdb"), [
    "-D",
    data,
    "--auth=trust",
    "-U",
    "postgres",
    "--no-instructions",
    "--encoding=UTF8",
  ]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  const pgCtl = (...args: string[]) =>
    runAsOwner(path.join(bin, "pg_ctl"), ["-D", data, "-w", "-l", path.join(dir, "log"), ...args]);
  const cluster: PgCluster = {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    start: () => pgCtl("-o", options, "start"),
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
  cluster.start();
  return cluster;
}

/** A fresh database on the cluster; its URL. */
export async function createPgTestDatabase(adminUrl: string, name: string): Promise<string> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
