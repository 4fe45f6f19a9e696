/**
 * The benchmark's bare `node:http` servers, run in their own process:
 *   ingest — our `ingest()` with nothing of Next around it;
 *   raw    — the same writes with hand-written prepared better-sqlite3 statements and no
 *            validation: the storage floor `ingest()` is compared with.
 * Usage: node --import tsx scripts/lib/bench-server.ts <ingest|raw> <database file>
 * Prints "listening <port>" once ready.
 */
import http from "node:http";
import { openDatabase } from "@/db/client";
import { ingest } from "@/lib/ingest";
import { createRawIngest } from "./raw-ingest";

const [mode, file] = process.argv.slice(2);
if ((mode !== "ingest" && mode !== "raw") || !file) {
  console.error("usage: bench-server.ts <ingest|raw> <database file>");
  process.exit(1);
}

const db = openDatabase(file);
const sqlite = db.$client;
// The app runs with openDatabase()'s pragmas; BENCH_SYNCHRONOUS lets the bench take fsync out.
if (process.env.BENCH_SYNCHRONOUS) sqlite.pragma(`synchronous = ${process.env.BENCH_SYNCHRONOUS}`);

type Handler = (
  body: string,
  headers: http.IncomingHttpHeaders,
  receivedAt: number,
) => {
  status: number;
  body: string;
  outcome: string;
};

const header = (headers: http.IncomingHttpHeaders, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const viaIngest: Handler = (body, headers, receivedAt) => {
  const kept: Record<string, string> = {};
  for (const name of [
    "content-type",
    "content-length",
    "x-conector-id",
    "x-owner-id",
    "x-idempotency-key",
  ]) {
    const value = header(headers, name);
    if (value) kept[name] = value;
  }
  const result = ingest(db, body, {
    connectorId: header(headers, "x-conector-id") ?? "",
    connectionOwnerId: header(headers, "x-owner-id") ?? "",
    idempotencyKey: header(headers, "x-idempotency-key") ?? "",
    headers: kept,
    receivedAt,
  });
  return result;
};

const viaRaw: Handler = createRawIngest(sqlite);

const handle = mode === "ingest" ? viaIngest : viaRaw;

const server = http.createServer((req, res) => {
  const receivedAt = Date.now();
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    try {
      const result = handle(Buffer.concat(chunks).toString("utf8"), req.headers, receivedAt);
      res.writeHead(result.status, {
        "content-type": "application/json",
        "x-delivery-outcome": result.outcome,
      });
      res.end(result.body);
    } catch (error) {
      console.error(error);
      res.writeHead(500, { "content-type": "application/json" });
      res.end('{"error":{"code":"internal","message":"failed"}}');
    }
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : 0}`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close();
    sqlite.close();
    process.exit(0);
  });
}
