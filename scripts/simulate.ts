/**
 * `npm run simulate`: posts realistic Morph traffic to a running app through its real webhook,
 * so a newcomer sees a living app in a minute. Doubles as a load generator.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { createPgStore } from "@/db/pg/store";
import { readSetting, settingFile } from "@/db/sqlite/settings";
import { databaseTarget, setting } from "@/lib/config";
import { generateTraffic, type SimDelivery } from "./lib/traffic";

const HELP = `Usage: npm run simulate -- [options]

Posts users, contacts, companies, opportunities, then engagements of every type (with edits,
deletes, duplicates, out-of-order and odd events) to a running app's webhook.

  --url URL          the app (default http://localhost:$PORT, PORT default 3000)
  --count N          engagements to create (default 300)
  --rate R           requests per second, 0 = as fast as the concurrency allows (default 0)
  --concurrency C    requests in flight (default 8)
  --connector ID     x-conector-id (default hubspot)
  --owner ID         x-owner-id, the Morph connection owner (default acme-prod)
  --seed S           same seed, same events (default 1)
  --help

The webhook secret is found the way the server finds it: WEBHOOK_SECRET, else the file
"webhook-secret" beside the database (DATABASE_URL, default ./data/app.db).`;

function fail(message: string): never {
  console.error(`simulate: ${message}`);
  process.exit(1);
}

const { values: args } = parseArgs({
  options: {
    url: { type: "string" },
    count: { type: "string", default: "300" },
    rate: { type: "string", default: "0" },
    concurrency: { type: "string", default: "8" },
    connector: { type: "string", default: "hubspot" },
    owner: { type: "string", default: "acme-prod" },
    seed: { type: "string", default: "1" },
    help: { type: "boolean", default: false },
  },
});
if (args.help) {
  console.log(HELP);
  process.exit(0);
}

function positiveInt(name: string, raw: string, allowZero = false) {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || (n === 0 && !allowZero))
    fail(`--${name} must be a whole number, got "${raw}"`);
  return n;
}
const count = positiveInt("count", args.count);
const rate = Number(args.rate);
if (!Number.isFinite(rate) || rate < 0) fail(`--rate must be a number >= 0, got "${args.rate}"`);
const concurrency = positiveInt("concurrency", args.concurrency);
const seed = positiveInt("seed", args.seed, true);
const baseUrl = (args.url ?? `http://localhost:${setting("PORT")}`).replace(/\/+$/, "");

/** The server's secret, read the way it reads it, but never created here: that is the server's job. */
/** The secret the server keeps for this DATABASE_URL, without creating one. */
async function keptSecret(): Promise<{ value: string | null; where: string }> {
  const target = databaseTarget();
  if (target.engine === "sqlite") {
    const where = settingFile(target.file, "webhook-secret");
    return { value: readSetting(target.file, "webhook-secret"), where };
  }
  const store = createPgStore({ url: target.url, poolSize: 1 });
  try {
    return { value: await store.readSetting("webhook-secret"), where: "the database" };
  } finally {
    await store.close();
  }
}

async function findCredentials(): Promise<{ query: string; note: string }> {
  const secret = setting("WEBHOOK_SECRET");
  if (secret) {
    return {
      query: `?token=${encodeURIComponent(secret)}`,
      note: "secret from WEBHOOK_SECRET",
    };
  }
  const kept = await keptSecret();
  if (kept.value) {
    return { query: `?token=${encodeURIComponent(kept.value)}`, note: `secret from ${kept.where}` };
  }
  if (setting("WEBHOOK_ALLOW_UNSIGNED")) {
    return {
      query: "",
      note: "no secret found; sending without credentials (WEBHOOK_ALLOW_UNSIGNED)",
    };
  }
  fail(
    `no webhook secret: WEBHOOK_SECRET is not set and none is kept in ${kept.where}.\n` +
      "Start the app first (npm start creates the secret beside its database), from this same folder\n" +
      "and with the same DATABASE_URL, or set WEBHOOK_SECRET for both.",
  );
}

async function checkServer() {
  try {
    const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok)
      fail(`${baseUrl}/api/health answered ${res.status}: is this the engagement viewer?`);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    fail(`cannot reach ${baseUrl} (${cause}). Start the app first: npm start (or pass --url).`);
  }
}

type Tally = {
  byStatus: Map<string, number>;
  byOutcome: Map<string, number>;
  errors: Map<string, { count: number; first: string }>;
};

async function main() {
  await checkServer();
  const credentials = await findCredentials();
  const traffic = generateTraffic({
    count,
    seed,
    keyPrefix: `sim-${seed}-${randomBytes(4).toString("hex")}`,
  });
  console.log(
    `Posting ${traffic.total} events to ${baseUrl}/api/webhooks/morph as ${args.connector}:${args.owner} (${credentials.note})`,
  );
  const plan = Object.entries(traffic.byKind)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(", ");
  console.log(`  ${plan}`);

  const tally: Tally = { byStatus: new Map(), byOutcome: new Map(), errors: new Map() };
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const noteError = (kind: string, message: string) => {
    const seen = tally.errors.get(kind);
    if (seen) seen.count++;
    else tally.errors.set(kind, { count: 1, first: message });
  };

  const bar = new cliProgress.SingleBar(
    { format: "  {bar} {value}/{total} events | {rps} req/s | {eta}s left", hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(traffic.total, 0, { rps: 0 });
  const url = `${baseUrl}/api/webhooks/morph${credentials.query}`;
  const started = performance.now();
  let sent = 0;
  let unreachable = 0;

  const post = async (delivery: SimDelivery) => {
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-conector-id": args.connector,
          "x-owner-id": args.owner,
          "x-idempotency-key": delivery.key,
          "user-agent": "engagement-viewer-simulate",
        },
        body: delivery.body,
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      bump(tally.byStatus, String(res.status));
      bump(tally.byOutcome, res.headers.get("x-delivery-outcome") ?? "(none)");
      if (res.status >= 300) {
        let message = text.slice(0, 200);
        try {
          message = (JSON.parse(text) as { error: { code: string; message: string } }).error
            .message;
        } catch {}
        noteError(`HTTP ${res.status}`, message);
      }
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      noteError("network", cause?.message ?? (error as Error).message);
      bump(tally.byStatus, "network error");
      if (cause?.code === "ECONNREFUSED") unreachable++;
    }
    sent++;
    const seconds = (performance.now() - started) / 1000;
    bar.update(sent, { rps: Math.round(sent / Math.max(seconds, 0.001)) });
  };

  for (const phase of traffic.phases) {
    let next = 0;
    const worker = async () => {
      while (next < phase.length) {
        const delivery = phase[next++]!;
        if (rate > 0) {
          // Pace by schedule, not by sleeps between requests, so the rate holds under latency.
          const due = started + (sent / rate) * 1000;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        }
        await post(delivery);
        if (unreachable > 0) return;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, phase.length) }, worker));
    if (unreachable > 0) break;
  }
  bar.stop();

  const seconds = (performance.now() - started) / 1000;
  const list = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k}: ${n}`)
      .join(", ");
  console.log(
    `\nSent ${sent} requests in ${seconds.toFixed(1)} s: ${(sent / seconds).toFixed(0)} req/s`,
  );
  console.log(`  HTTP status:  ${list(tally.byStatus)}`);
  console.log(`  outcome:      ${list(tally.byOutcome)}`);
  for (const [kind, { count: n, first }] of tally.errors) {
    console.log(`  errors (${kind}): ${n}, first: ${first}`);
  }
  if (unreachable > 0) fail(`the server at ${baseUrl} stopped answering (connection refused).`);
  if (tally.errors.size === 0) {
    console.log(`\nOpen ${baseUrl}/engagements to browse them.`);
  }
  process.exit(tally.errors.size === 0 ? 0 : 2);
}

main().catch((error) => fail((error as Error).stack ?? String(error)));
