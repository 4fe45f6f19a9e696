/**
 * The benchmark's bare `node:http` servers, run in their own process:
 *   ingest — our `ingest()` with nothing of Next around it;
 *   raw    — the same writes with hand-written prepared better-sqlite3 statements and no
 *            validation: the storage floor `ingest()` is compared with.
 * Both commit the same way, chosen by the third argument:
 *   group  — what arrives in one turn of the event loop is one transaction with a savepoint per
 *            delivery (scripts/lib/batch.ts, batching as the app's writer, db/sqlite/ingest/writer.ts);
 *   each   — one IMMEDIATE transaction per request.
 * Usage: node --import tsx scripts/lib/bench-server.ts <ingest|raw> <database file> [group|each]
 * Prints "listening <port>" once ready.
 */
import http from "node:http";
import { ingestGroup, ingestOne, openDatabase, type Delivery } from "../bench/app";
import { answering, createBatcher, type Answer } from "./batch";
import { createRawGroup, createRawIngest, type RawResult } from "./raw-ingest";

const [mode, file, commit = "group"] = process.argv.slice(2);
if ((mode !== "ingest" && mode !== "raw") || !file || (commit !== "group" && commit !== "each")) {
  console.error("usage: bench-server.ts <ingest|raw> <database file> [group|each]");
  process.exit(1);
}

const db = openDatabase(file);
const sqlite = db.$client;
// The app runs with openDatabase()'s pragmas; BENCH_SYNCHRONOUS lets the bench take fsync out.
if (process.env.BENCH_SYNCHRONOUS) sqlite.pragma(`synchronous = ${process.env.BENCH_SYNCHRONOUS}`);

type Apply = (delivery: Delivery) => Answer<RawResult> | Promise<Answer<RawResult>>;

function chooseApply(): Apply {
  if (commit === "each") {
    return answering(
      mode === "ingest" ? (d: Delivery) => ingestOne(db, d) : createRawIngest(sqlite),
    );
  }
  const rawGroup = createRawGroup(sqlite);
  return createBatcher<Delivery, RawResult>((deliveries) =>
    mode === "ingest" ? ingestGroup(db, deliveries) : rawGroup(deliveries),
  );
}
const apply = chooseApply();

const KEPT_HEADERS = [
  "content-type",
  "content-length",
  "x-conector-id",
  "x-owner-id",
  "x-idempotency-key",
];
const header = (headers: http.IncomingHttpHeaders, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** What the webhook route hands the writer, read the same way for both modes. */
function deliveryOf(rawBody: string, headers: http.IncomingHttpHeaders, receivedAt: number) {
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = header(headers, name);
    if (value) kept[name] = value;
  }
  return {
    rawBody,
    meta: {
      connectorId: header(headers, "x-conector-id") ?? "",
      connectionOwnerId: header(headers, "x-owner-id") ?? "",
      idempotencyKey: header(headers, "x-idempotency-key") ?? "",
      headers: kept,
      receivedAt,
    },
  };
}

const server = http.createServer((req, res) => {
  const receivedAt = Date.now();
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", async () => {
    const answer = await apply(
      deliveryOf(Buffer.concat(chunks).toString("utf8"), req.headers, receivedAt),
    );
    if (answer.ok) {
      res.writeHead(answer.result.status, {
        "content-type": "application/json",
        "x-delivery-outcome": answer.result.outcome,
      });
      res.end(answer.result.body);
    } else {
      res.writeHead(answer.error.status, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: answer.error }));
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
