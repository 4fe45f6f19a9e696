/**
 * The benchmark's bare `node:http` servers, run in their own process:
 *   ingest — our `ingest()` with nothing of Next around it;
 *   raw    — the same writes with hand-written prepared better-sqlite3 statements and no
 *            validation: the storage floor `ingest()` is compared with.
 * Both commit the same way, chosen by the third argument:
 *   group  — what arrives in one turn of the event loop is one transaction with a savepoint per
 *            delivery (the app's writer, lib/ingest/writer.ts, with the same batching);
 *   each   — one IMMEDIATE transaction per request.
 * Usage: node --import tsx scripts/lib/bench-server.ts <ingest|raw> <database file> [group|each]
 * Prints "listening <port>" once ready.
 */
import http from "node:http";
import { openDatabase } from "@/db/client";
import { ingest } from "@/lib/ingest";
import { failureOf, ingestGroup, type Delivery, type DeliveryAnswer } from "@/lib/ingest/group";
import { createBatchingWriter } from "@/lib/ingest/writer";
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

type Answer = DeliveryAnswer<RawResult>;
type Apply = (delivery: Delivery) => Answer | Promise<Answer>;

function applyEach(one: (delivery: Delivery) => RawResult): Apply {
  return (delivery) => {
    try {
      return { ok: true, result: one(delivery) };
    } catch (error) {
      return { ok: false, error: failureOf(error) };
    }
  };
}

const rawOne = createRawIngest(sqlite);
const ingestOne = (d: Delivery): RawResult => ingest(db, d.rawBody, d.meta);
let apply: Apply;
if (commit === "each") {
  apply = applyEach(mode === "ingest" ? ingestOne : rawOne);
} else {
  const rawGroup = createRawGroup(sqlite);
  const writer = createBatchingWriter<RawResult>((deliveries) =>
    mode === "ingest" ? ingestGroup(db, deliveries) : rawGroup(deliveries),
  );
  apply = (delivery) => writer.submit(delivery);
}

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
