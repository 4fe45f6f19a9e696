// The production server: Next's request handler on node:http, so a stop is bounded and drains.
// On SIGTERM (or SIGINT) it stops accepting connections, answers requests that arrive on open
// keep-alive sockets with 503, lets what it already took finish (deliveries commit before they
// are answered), answers 503 to anything still open at the limit, closes the store (PostgreSQL
// pool or SQLite writer thread) and exits, well within the 10 s a service manager allows.
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import next from "next";

const root = path.resolve(import.meta.dirname, "..");
const DRAIN_LIMIT_MS = 8_500;
const STORE_CLOSE_LIMIT_MS = 1_000;

const { values: args } = parseArgs({
  options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } },
});
const port = Number(args.port || process.env.PORT || 3000);
const hostname = args.hostname || process.env.HOSTNAME || undefined;
// The start banner (lib/startup.ts) and the app read the port from PORT: `--port` sets it too.
process.env.PORT = String(port);

// Behind a trusted proxy (TRUST_PROXY, checked by lib/config.ts before we start) its forwarding
// headers stand. Otherwise a client's claims about itself are dropped: the socket's address is
// the client's, and Next fills the scheme and host in from this connection.
const trustValue = process.env.TRUST_PROXY?.trim() ?? "";
const trustProxy =
  trustValue !== "" && Number(trustValue) !== 0 && !/^(false|no|off|n|disabled)$/i.test(trustValue);
const FORWARDING = [
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-real-ip",
  "forwarded",
];

function ownForwarding(req) {
  for (const name of FORWARDING) if (req.headers[name] !== undefined) delete req.headers[name];
  req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
}

const app = next({ dev: false, dir: root, port, hostname });
await app.prepare();
const handle = app.getRequestHandler();

/** Requests taken and not yet answered. */
const open = new Set();
let stopping = false;

function refuse(res) {
  res.writeHead(503, {
    "content-type": "application/json",
    "retry-after": "5",
    connection: "close",
  });
  res.end(
    JSON.stringify({
      error: { code: "shutting_down", message: "This process is stopping; retry on another." },
    }),
  );
}

const server = http.createServer((req, res) => {
  if (stopping) return refuse(res);
  if (!trustProxy) ownForwarding(req);
  open.add(res);
  res.on("close", () => open.delete(res));
  handle(req, res).catch((error) => {
    console.error(error);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});

/** Waits until `open` is empty, or the limit passes. */
function drained(limitMs) {
  return new Promise((resolve) => {
    const deadline = Date.now() + limitMs;
    const tick = () => {
      if (open.size === 0 || Date.now() >= deadline) return resolve();
      setTimeout(tick, 25);
    };
    tick();
  });
}

async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing ${open.size} open request(s), then stopping`);
  server.close();
  server.closeIdleConnections();
  // Answers still being written end their connection, so keep-alive clients move on.
  for (const res of open) if (!res.headersSent) res.setHeader("connection", "close");
  await drained(DRAIN_LIMIT_MS);
  for (const res of open) {
    if (!res.headersSent) refuse(res);
    else res.destroy();
  }
  server.closeAllConnections();
  const store = globalThis.appStore;
  if (store) {
    const limit = new Promise((resolve) => setTimeout(resolve, STORE_CLOSE_LIMIT_MS).unref());
    await Promise.race([store.close().catch((error) => console.error(error)), limit]);
  }
  process.exit(0);
}

for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => void stop(signal));

server.listen(port, hostname, () => {
  console.log(`Serving on http://${hostname ?? "localhost"}:${port}`);
});
