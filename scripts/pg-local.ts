/**
 * `npm run pg:local [-- --dir DIR] [--port N] [--temp]`: a local PostgreSQL server for trying
 * the app, from the machine's own binaries (scripts/lib/pg-cluster.ts), with a database `app`.
 * The cluster lives in ./data/pg-local and the next run reuses it, data included; `--temp`
 * starts one in a new temporary folder, removed on stop. Trust auth on 127.0.0.1 only: for
 * trying, not for production. Stays in the foreground; Ctrl-C or SIGTERM stops it cleanly.
 */
import net from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { ensurePgDatabase, freePort, startPgCluster, type PgCluster } from "./lib/pg-cluster";

const DEFAULT_DIR = "./data/pg-local";
// Beside 5432, so a system PostgreSQL keeps its port; the README shows this one.
const DEFAULT_PORT = 54329;

const { values: args } = parseArgs({
  options: {
    dir: { type: "string", default: DEFAULT_DIR },
    port: { type: "string" },
    temp: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (args.help) {
  console.log(`Usage: npm run pg:local [-- --dir DIR] [--port N] [--temp]

Starts PostgreSQL with a database "app" and prints the DATABASE_URL to start the app with.
--dir     where the cluster lives, reused by the next run (default ${DEFAULT_DIR})
--port    the port to listen on (default ${DEFAULT_PORT}, or a free one when that is taken)
--temp    a throwaway cluster in a temporary folder, removed when it stops`);
  process.exit(0);
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** The port asked for, else the usual one while it is free, else any free one. */
async function choosePort(): Promise<number> {
  if (args.port !== undefined) {
    const port = Number(args.port);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) {
      throw new Error(`--port must be a port number, got "${args.port}"`);
    }
    return port;
  }
  return (await isPortFree(DEFAULT_PORT)) ? DEFAULT_PORT : freePort();
}

function printHowToUse(cluster: PgCluster, url: string) {
  const relative = path.relative(".", cluster.dir);
  const shown = relative.startsWith("..") ? cluster.dir : `./${relative}`;
  const where = args.temp ? `a temporary folder (${cluster.dir})` : shown;
  const kept = args.temp ? "the folder is removed" : `the data stays in ${where} for the next run`;
  console.log(`PostgreSQL is running from ${where} on port ${cluster.port}${
    cluster.created ? " (new cluster)" : " (existing cluster, data kept)"
  }; log: ${path.join(cluster.dir, "log")}
Database "app" is ready. Start the app on it with:

  DATABASE_URL=${url} npm start

Move a SQLite database's data into it with:

  npm run db:copy -- --from ./data/app.db --to ${url}

Ctrl-C stops the server; ${kept}.`);
}

/** A temporary cluster goes with its folder; a kept one just stops. */
function shutDown(cluster: PgCluster) {
  if (args.temp) cluster.destroy();
  else cluster.stop("fast");
}

/**
 * Stops the server once, on the first signal or when the process that started this one goes
 * (npm passes SIGTERM to its own child only: a shell, whose death leaves this one running).
 */
function stopOnSignal(cluster: PgCluster) {
  const parent = process.ppid;
  const keepAlive = setInterval(() => {
    if (process.ppid !== parent) stop("the process that started pg:local ended");
  }, 1_000);
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(keepAlive);
    console.log(`\n${why}: stopping PostgreSQL…`);
    try {
      shutDown(cluster);
      console.log("PostgreSQL stopped.");
      process.exit(0);
    } catch (error) {
      console.error(`pg:local: stopping failed: ${(error as Error).message}`);
      process.exit(1);
    }
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, stop);
}

async function main() {
  const port = await choosePort();
  const cluster = await startPgCluster({ dir: args.temp ? undefined : args.dir, port });
  try {
    const url = await ensurePgDatabase(cluster.adminUrl, "app");
    printHowToUse(cluster, url);
  } catch (error) {
    shutDown(cluster);
    throw error;
  }
  stopOnSignal(cluster);
}

main().catch((error: Error) => {
  console.error(`pg:local: ${error.message}`);
  process.exit(1);
});
