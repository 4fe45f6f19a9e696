/**
 * `npm run bench` (`-- --quick` for a smaller N): ingest, bulk load and reads, measured side by
 * side against our own floors in one run. Writes docs/benchmarks.json and docs/benchmarks.md.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon, { type AutocannonResult } from "autocannon";
import { openDatabase } from "@/db/client";
import { ingest as ingestDelivery } from "@/lib/ingest";
import { createRawIngest } from "./lib/raw-ingest";
import {
  createReader,
  toSearchParams,
  type ReadFilter,
  type TextStrategy,
} from "./lib/read-queries";
import { seedBulk, type SeedStats } from "./lib/seed";
import {
  createRng,
  createWorld,
  engagementSnapshot,
  FREQUENT_TERM,
  morphEnvelope,
  pickType,
  RARE_TERM,
  workdayTime,
} from "./lib/world";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    n: { type: "string" },
    duration: { type: "string" },
    rounds: { type: "string" },
    "skip-ingest": { type: "boolean", default: false },
    "skip-reads": { type: "boolean", default: false },
    build: { type: "boolean", default: false },
    out: { type: "string", default: "docs" },
    keep: { type: "boolean", default: false },
    render: { type: "boolean", default: false },
  },
});

const quick = args.quick;
const N = Number((args.n ?? (quick ? "100000" : "1000000")).replace(/_/g, ""));
const RUN_SECONDS = Number(args.duration ?? (quick ? 2 : 8));
const ROUNDS = Number(args.rounds ?? (quick ? 2 : 3));
const CONCURRENCY = [10, 50];
const READ_SAMPLES = 20;
const root = path.resolve(import.meta.dirname, "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "engagements-bench-"));
const WEBHOOK_SECRET = "bench-webhook-secret";
const benchStarted = Date.now();

// ---------------------------------------------------------------- processes, always cleaned up
const children = new Set<ChildProcess>();
function killAll() {
  for (const child of children) {
    // Each server runs in its own process group: this takes tsx's esbuild helper along too.
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {}
  }
  children.clear();
}
function cleanup() {
  killAll();
  if (!args.keep) fs.rmSync(workDir, { recursive: true, force: true });
}
process.on("exit", cleanup);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });
}

function log(message: string) {
  const seconds = ((Date.now() - benchStarted) / 1000).toFixed(0).padStart(4);
  console.log(`[${seconds}s] ${message}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

type Server = { name: string; url: string; pid: number; stop(): void };

function track(child: ChildProcess, name: string): Server & { child: ChildProcess } {
  children.add(child);
  return {
    name,
    url: "",
    pid: child.pid!,
    child,
    stop() {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {}
      children.delete(child);
    },
  };
}

async function waitFor(url: string, child: ChildProcess, logFile: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up; log:\n${fs.readFileSync(logFile, "utf8").slice(-2000)}`);
}

async function startNext(name: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const logFile = path.join(workDir, `${name}.log`);
  const out = fs.openSync(logFile, "w");
  const child = spawn(
    process.execPath,
    [nextBin, "start", "--port", String(port), "--hostname", "127.0.0.1"],
    {
      cwd: root,
      env: { ...process.env, NODE_ENV: "production", ...env, PORT: String(port) },
      stdio: ["ignore", out, out],
      detached: true,
    },
  );
  const server = track(child, name);
  server.url = `http://127.0.0.1:${port}`;
  await waitFor(`${server.url}/api/health`, child, logFile);
  return server;
}

async function startBare(
  mode: "ingest" | "raw",
  dbFile: string,
  env: Record<string, string> = {},
): Promise<Server> {
  const logFile = path.join(workDir, `bare-${path.basename(path.dirname(dbFile))}.log`);
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(root, "scripts/lib/bench-server.ts"), mode, dbFile],
    {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", fs.openSync(logFile, "w")],
      detached: true,
    },
  );
  const server = track(child, mode);
  const port = await new Promise<number>((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`bare ${mode} server did not start`)), 60_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const match = text.match(/listening (\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once("exit", () =>
      reject(new Error(`bare ${mode} server exited: ${fs.readFileSync(logFile, "utf8")}`)),
    );
  });
  server.url = `http://127.0.0.1:${port}`;
  return server;
}

/** Peak resident memory of a process while `fn` runs, sampled from /proc. */
/** A process and its descendants (`next start` runs the server in a child process). */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.split(") ")[1]!.split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {}
  }
  const out: number[] = [];
  const visit = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return out;
}

/** CPU time (user + system, ms) a process tree has used so far, from /proc. */
function cpuMs(pids: number[]) {
  let total = 0;
  for (const pid of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      total += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    } catch {}
  }
  return total;
}

async function withRss<T>(
  pid: number,
  fn: () => Promise<T>,
): Promise<{ value: T; rssMb: number; cpuMs: number }> {
  const pids = processTree(pid);
  const cpuBefore = cpuMs(pids);
  let peak = 0;
  const sample = () => {
    let kb = 0;
    for (const p of pids) {
      try {
        const status = fs.readFileSync(`/proc/${p}/status`, "utf8");
        kb += Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
      } catch {}
    }
    peak = Math.max(peak, kb / 1024);
  };
  sample();
  const timer = setInterval(sample, 250);
  try {
    const value = await fn();
    sample();
    return { value, rssMb: Math.round(peak), cpuMs: cpuMs(pids) - cpuBefore };
  } finally {
    clearInterval(timer);
  }
}

// ---------------------------------------------------------------- build
function ensureBuild() {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const noop = path.join(root, ".next", "server", "app", "api", "bench", "noop");
  if (!args.build && fs.existsSync(buildId) && fs.existsSync(noop)) return false;
  log("building the app (next build)...");
  const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error("next build failed");
  return true;
}

// ---------------------------------------------------------------- ingest
type IngestTarget = {
  id: "a" | "b" | "c" | "d" | "e";
  label: string;
  server: Server;
  path: string;
};
type IngestRun = {
  target: string;
  concurrency: number;
  round: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  requests: number;
  rssMb: number;
  /** Server CPU per request (ms): steadier than req/s when other work shares the cores. */
  cpuPerRequest: number;
};

/** Realistic engagement bodies (refs, titles, descriptions), each sent under a fresh id and key. */
function payloadTemplates(count: number) {
  const rng = createRng(2024);
  const world = createWorld(rng, { users: 50, contacts: 2000, companies: 500, opportunities: 300 });
  const now = Date.now();
  return Array.from({ length: count }, () => {
    const snapshot = engagementSnapshot(rng, world, {
      id: "@ID@",
      type: pickType(rng),
      startedAt: workdayTime(rng, now, 365),
      now,
    });
    const body = JSON.stringify(
      morphEnvelope(
        "crmEngagement",
        "created",
        "@ID@",
        snapshot.fields,
        snapshot.createdAt,
        snapshot.updatedAt,
      ),
    );
    return body.split('"@ID@"') as [string, string];
  });
}

const templates = payloadTemplates(200);
let sequence = 0;
const runId = Date.now().toString(36);

async function loadOnce(
  target: IngestTarget,
  concurrency: number,
  seconds: number,
): Promise<AutocannonResult> {
  return autocannon({
    url: target.server.url,
    connections: concurrency,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: "POST",
        path: target.path,
        setupRequest: (request) => {
          const n = ++sequence;
          const [before, after] = templates[n % templates.length]!;
          return {
            ...request,
            method: "POST",
            path: target.path,
            headers: {
              "content-type": "application/json",
              "x-conector-id": "hubspot",
              "x-owner-id": "acme-prod",
              "x-idempotency-key": `bench-${runId}-${n}`,
            },
            body: `${before}"bench-${n}"${after}`,
          };
        },
      },
    ],
  });
}

/**
 * ingest() against the raw statements in this process, no HTTP: where the CPU goes per delivery,
 * with fsync (the app's synchronous=FULL) and without it (synchronous=OFF, the logic alone).
 */
function benchIngestInProcess() {
  const perMode = quick ? 800 : 2000;
  const out: Record<
    string,
    {
      ingestMs: number;
      rawMs: number;
      ratio: number;
      ingestCpuMs: number;
      rawCpuMs: number;
      cpuRatio: number;
    }
  > = {};
  for (const synchronous of ["FULL", "OFF"]) {
    const ingestTimes: number[] = [];
    const rawTimes: number[] = [];
    const ingestCpu: number[] = [];
    const rawCpu: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const which of ["ingest", "raw"] as const) {
        const file = path.join(workDir, "in-process", `${which}-${synchronous}-${round}.db`);
        const db = openDatabase(file);
        db.$client.pragma(`synchronous = ${synchronous}`);
        const raw = createRawIngest(db.$client);
        const headers = {
          "content-type": "application/json",
          "x-conector-id": "hubspot",
          "x-owner-id": "acme-prod",
        };
        const started = performance.now();
        const cpuStart = process.cpuUsage();
        for (let i = 0; i < perMode; i++) {
          const n = ++sequence;
          const [before, after] = templates[n % templates.length]!;
          const body = `${before}"bench-${n}"${after}`;
          const key = `bench-${runId}-${n}`;
          if (which === "ingest") {
            ingestDelivery(db, body, {
              connectorId: "hubspot",
              connectionOwnerId: "acme-prod",
              idempotencyKey: key,
              headers,
              receivedAt: Date.now(),
            });
          } else {
            raw(body, { ...headers, "x-idempotency-key": key }, Date.now());
          }
        }
        (which === "ingest" ? ingestTimes : rawTimes).push((performance.now() - started) / perMode);
        const cpu = process.cpuUsage(cpuStart);
        (which === "ingest" ? ingestCpu : rawCpu).push((cpu.user + cpu.system) / 1000 / perMode);
        db.$client.close();
      }
    }
    const ingestMs = round3(median(ingestTimes));
    const rawMs = round3(median(rawTimes));
    const ingestCpuMs = round3(median(ingestCpu));
    const rawCpuMs = round3(median(rawCpu));
    out[synchronous] = {
      ingestMs,
      rawMs,
      ratio: round2(rawMs / ingestMs),
      ingestCpuMs,
      rawCpuMs,
      cpuRatio: round2(rawCpuMs / ingestCpuMs),
    };
    log(
      `  in-process, synchronous=${synchronous}: ingest() ${ingestMs} ms/delivery (CPU ${ingestCpuMs}), raw ${rawMs} ms/delivery (CPU ${rawCpuMs}), raw/ingest ${out[synchronous]!.ratio} (CPU ${out[synchronous]!.cpuRatio})`,
    );
  }
  return { deliveriesPerRun: perMode, FULL: out.FULL!, OFF: out.OFF! };
}

async function benchIngest() {
  log("ingest: in-process ingest() vs raw statements");
  const inProcess = benchIngestInProcess();
  const abDb = path.join(workDir, "ingest-next", "app.db");
  log("ingest: starting next start (noop + webhook), bare ingest() and raw SQLite servers");
  const next = await startNext("next-ingest", {
    DATABASE_URL: abDb,
    WEBHOOK_SECRET,
    BENCH_NOOP: "1",
    APP_ALLOW_PUBLIC: "1",
  });
  const bareIngest = await startBare("ingest", path.join(workDir, "ingest-bare", "app.db"));
  const bareRaw = await startBare("raw", path.join(workDir, "ingest-raw", "app.db"));
  const bareNormal = await startBare("ingest", path.join(workDir, "ingest-normal", "app.db"), {
    BENCH_SYNCHRONOUS: "NORMAL",
  });
  const targets: IngestTarget[] = [
    { id: "a", label: "(a) no-op Next route", server: next, path: "/api/bench/noop" },
    {
      id: "b",
      label: "(b) webhook route, next start",
      server: next,
      path: `/api/webhooks/morph?token=${WEBHOOK_SECRET}`,
    },
    { id: "c", label: "(c) ingest() on node:http", server: bareIngest, path: "/" },
    { id: "d", label: "(d) raw better-sqlite3 on node:http", server: bareRaw, path: "/" },
    {
      id: "e",
      label: "(e) = (c) with synchronous=NORMAL",
      server: bareNormal,
      path: "/",
    },
  ];
  for (const target of targets) await loadOnce(target, 10, 2); // warm up JITs and caches

  const runs: IngestRun[] = [];
  for (const concurrency of CONCURRENCY) {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const target of targets) {
        const {
          value: result,
          rssMb,
          cpuMs: cpu,
        } = await withRss(target.server.pid, () => loadOnce(target, concurrency, RUN_SECONDS));
        const requests = result["2xx"] + result.non2xx;
        const run: IngestRun = {
          target: target.id,
          concurrency,
          round,
          rps: Math.round(requests / result.duration),
          p50: result.latency.p50,
          p99: result.latency.p99,
          errors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          requests,
          rssMb,
          cpuPerRequest: round3(cpu / Math.max(1, requests)),
        };
        runs.push(run);
        log(
          `  c=${concurrency} round ${round} ${target.label}: ${run.rps} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, errors ${run.errors}, non-2xx ${run.non2xx}, RSS ${rssMb} MB, server CPU ${run.cpuPerRequest} ms/request`,
        );
      }
    }
  }
  const applied = (file: string) => {
    const db = openDatabase(file);
    const row = db.$client
      .prepare(
        "SELECT count(*) AS deliveries, sum(outcome = 'applied') AS applied, (SELECT count(*) FROM engagements) AS engagements FROM deliveries",
      )
      .get() as { deliveries: number; applied: number; engagements: number };
    db.$client.close();
    return row;
  };
  const check = {
    b: applied(abDb),
    c: applied(path.join(workDir, "ingest-bare", "app.db")),
    d: applied(path.join(workDir, "ingest-raw", "app.db")),
  };
  next.stop();
  bareIngest.stop();
  bareRaw.stop();
  bareNormal.stop();

  const summary = CONCURRENCY.map((concurrency) => {
    const per = Object.fromEntries(
      targets.map((t) => {
        const mine = runs.filter((r) => r.target === t.id && r.concurrency === concurrency);
        return [
          t.id,
          {
            label: t.label,
            rps: median(mine.map((r) => r.rps)),
            p50: median(mine.map((r) => r.p50)),
            p99: median(mine.map((r) => r.p99)),
            errors: sum(mine.map((r) => r.errors)),
            timeouts: sum(mine.map((r) => r.timeouts)),
            non2xx: sum(mine.map((r) => r.non2xx)),
            rssMb: Math.max(...mine.map((r) => r.rssMb)),
            cpuPerRequest: median(mine.map((r) => r.cpuPerRequest)),
            rounds: mine.map((r) => r.rps),
          },
        ];
      }),
    ) as Record<
      "a" | "b" | "c" | "d" | "e",
      {
        label: string;
        rps: number;
        p50: number;
        p99: number;
        errors: number;
        timeouts: number;
        non2xx: number;
        rssMb: number;
        cpuPerRequest: number;
        rounds: number[];
      }
    >;
    return {
      concurrency,
      targets: per,
      ratioBA: round2(per.b.rps / per.a.rps),
      ratioCD: round2(per.c.rps / per.d.rps),
      /** The same ratios from server CPU per request: what the throughput ratio would be on idle cores. */
      cpuRatioBA: round2(per.a.cpuPerRequest / per.b.cpuPerRequest),
      cpuRatioCD: round2(per.d.cpuPerRequest / per.c.cpuPerRequest),
    };
  });
  return { runs, summary, check, inProcess, seconds: RUN_SECONDS, rounds: ROUNDS };
}

// ---------------------------------------------------------------- reads
type Timing = { median: number; min: number; max: number };

/** Median of `samples` runs after a warm-up; a query slower than 200 ms gets 5 (it misses its target anyway). */
function time(fn: () => unknown, samples = READ_SAMPLES): Timing {
  const warm = performance.now();
  fn();
  if (performance.now() - warm > 200) samples = Math.min(samples, 5);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return {
    median: round2(median(times)),
    min: round2(Math.min(...times)),
    max: round2(Math.max(...times)),
  };
}

async function timeHttp(url: string, samples = READ_SAMPLES) {
  const once = async () => {
    const t = performance.now();
    const res = await fetch(url, { redirect: "manual" });
    const ttfb = performance.now() - t;
    await res.arrayBuffer();
    return { ttfb, status: res.status };
  };
  // A page slower than 200 ms misses its 25 ms target whatever the median: 5 samples do.
  if ((await once()).ttfb > 200) samples = Math.min(samples, 5);
  const times: number[] = [];
  let status = 0;
  for (let i = 0; i < samples; i++) {
    const r = await once();
    times.push(r.ttfb);
    status = r.status;
  }
  return {
    median: round2(median(times)),
    min: round2(Math.min(...times)),
    max: round2(Math.max(...times)),
    status,
  };
}

type ReadCase = { name: string; filter: ReadFilter; combo?: boolean };

function readCases(sqlite: ReturnType<typeof openDatabase>["$client"], now: number): ReadCase[] {
  const top = (sql: string) => (sqlite.prepare(sql).get() as { v: string }).v;
  // The busiest rep, contact, company, deal: the worst case for a count.
  const owner = top(
    "SELECT owner_id AS v FROM engagements GROUP BY owner_id ORDER BY count(*) DESC LIMIT 1",
  );
  const topRef = (role: string) =>
    top(
      `SELECT ref_id AS v FROM engagement_refs WHERE role = '${role}' GROUP BY ref_id ORDER BY count(*) DESC LIMIT 1`,
    );
  const contact = topRef("contact");
  const company = topRef("company");
  const opportunity = topRef("opportunity");
  const user = topRef("user");
  const day = (offset: number) => new Date(now - offset * 86_400_000).toISOString().slice(0, 10);
  return [
    { name: "no filter", filter: {} },
    { name: "owner", filter: { owner } },
    { name: "contact", filter: { contact } },
    { name: "company", filter: { company } },
    { name: "opportunity", filter: { opportunity } },
    { name: "user", filter: { user } },
    { name: "type=meeting", filter: { type: ["meeting"] } },
    { name: "direction=inbound", filter: { direction: ["inbound"] } },
    { name: "status=planned", filter: { status: ["planned"] } },
    { name: "date range (2 weeks, a year ago)", filter: { from: day(380), to: day(366) } },
    { name: `text, rare ("${RARE_TERM}")`, filter: { q: RARE_TERM } },
    { name: `text, frequent ("${FREQUENT_TERM}")`, filter: { q: FREQUENT_TERM } },
    { name: "connection (the smaller one)", filter: { connection: "salesforce:globex-eu" } },
    { name: "deleted=only", filter: { deleted: "only" } },
    {
      name: "owner + calls + last quarter",
      filter: { owner, type: ["call"], from: day(90) },
      combo: true,
    },
    {
      name: "company + meetings + completed, deleted included",
      filter: { company, type: ["meeting"], status: ["completed"], deleted: "include" },
      combo: true,
    },
    {
      name: `text "pricing" + emails + one connection`,
      filter: { q: "pricing", type: ["email"], connection: "hubspot:acme-prod" },
      combo: true,
    },
  ];
}

async function benchReads(file: string) {
  const db = openDatabase(file);
  const sqlite = db.$client;
  const reader = createReader(sqlite);
  const now = Date.now();
  const cases = readCases(sqlite, now);
  log(`reads: ${cases.length} cases, median of ${READ_SAMPLES}`);
  const app = await loadAppQueries();
  const results = [];
  for (const c of cases) {
    const page = time(() => reader.page(c.filter));
    const count = time(() => reader.count(c.filter));
    const facets = time(() => reader.facets(c.filter));
    const rows = reader.count(c.filter);
    const extra: Record<string, Timing> = {};
    if (c.filter.q) {
      for (const strategy of ["fts-first", "date-walk"] as TextStrategy[]) {
        extra[`page ${strategy}`] = time(
          () => reader.page(c.filter, { text: strategy }),
          strategy === "date-walk" && rows < 5000 ? 3 : READ_SAMPLES,
        );
      }
    }
    const appTimings = app ? app.measure(db, c.filter) : null;
    const result = {
      name: c.name,
      combo: !!c.combo,
      filter: c.filter,
      rows,
      page,
      count,
      facets,
      extra,
      app: appTimings,
      plan: reader.explain(c.filter),
    };
    results.push(result);
    log(
      `  ${c.name}: ${rows} rows; page ${page.median} ms, count ${count.median} ms, facets ${facets.median} ms${Object.entries(
        extra,
      )
        .map(([k, v]) => `, ${k} ${v.median} ms`)
        .join("")}`,
    );
  }

  // Keyset vs OFFSET: page 100 should cost what page 1 costs.
  const deep: Record<string, { page1: Timing; page100Keyset: Timing; page100Offset: Timing }> = {};
  for (const c of cases.filter((x) => ["no filter", "owner", "contact"].includes(x.name))) {
    let cursor: [number, number] | undefined;
    for (let i = 0; i < 99; i++) cursor = reader.page(c.filter, { cursor }).nextCursor ?? undefined;
    deep[c.name] = {
      page1: time(() => reader.page(c.filter)),
      page100Keyset: time(() => reader.page(c.filter, { cursor })),
      page100Offset: time(() => reader.page(c.filter, { offset: 99 * 50 })),
    };
    log(
      `  deep pages, ${c.name}: page 1 ${deep[c.name]!.page1.median} ms, page 100 keyset ${deep[c.name]!.page100Keyset.median} ms, OFFSET ${deep[c.name]!.page100Offset.median} ms`,
    );
  }
  sqlite.close();

  log("reads through next start (TTFB)");
  const server = await startNext("next-reads", {
    DATABASE_URL: file,
    APP_ALLOW_PUBLIC: "1",
    WEBHOOK_SECRET,
  });
  const { value: http, rssMb } = await withRss(server.pid, async () => {
    const floor = await timeHttp(`${server.url}/api/health`);
    const out = [];
    for (const c of cases) {
      const qs = toSearchParams(c.filter).toString();
      const api = await timeHttp(`${server.url}/api/engagements?${qs}`);
      const page = await timeHttp(`${server.url}/engagements?${qs}`);
      out.push({ name: c.name, query: qs, api, page });
      log(
        `  ${c.name}: API ${api.median} ms (HTTP ${api.status}), page ${page.median} ms (HTTP ${page.status})`,
      );
    }
    return { floor, cases: out };
  });
  server.stop();
  return { cases: results, deep, http, rssMb, appQueries: app ? app.source : null };
}

/**
 * The app's own read functions, when this checkout has them (db/queries/engagements.ts and
 * lib/filters.ts): timed beside the raw SQL so the two can be compared.
 */
async function loadAppQueries() {
  const queries = path.join(root, "db/queries/engagements.ts");
  const filters = path.join(root, "lib/filters.ts");
  if (!fs.existsSync(queries) || !fs.existsSync(filters)) return null;
  try {
    const q = (await import(queries)) as Record<string, (...a: unknown[]) => unknown>;
    const f = (await import(filters)) as Record<string, (...a: unknown[]) => unknown>;
    const parse = f.parseFilter ?? f.parseFilters ?? f.parseEngagementFilters;
    if (!parse || !q.listEngagements) return null;
    return {
      source: "db/queries/engagements.ts",
      measure(db: unknown, filter: ReadFilter) {
        const parsed = parse(toSearchParams(filter));
        const out: Record<string, Timing | string> = {};
        for (const name of ["listEngagements", "countEngagements", "facetCounts"]) {
          const fn = q[name];
          if (!fn) continue;
          try {
            out[name] = time(() => fn(db, parsed));
          } catch (error) {
            out[name] = `failed: ${(error as Error).message}`;
          }
        }
        return out;
      },
    };
  } catch (error) {
    log(`app queries present but not loadable: ${(error as Error).message}`);
    return null;
  }
}

// ---------------------------------------------------------------- report
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const round2 = (x: number) => Math.round(x * 100) / 100;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

function machine() {
  let commit = "";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root }).toString().trim();
  } catch {}
  const db = openDatabase(":memory:");
  const sqliteVersion = (db.$client.prepare("SELECT sqlite_version() AS v").get() as { v: string })
    .v;
  db.$client.close();
  return {
    date: new Date().toISOString(),
    commit,
    node: process.version,
    sqlite: sqliteVersion,
    os: `${os.type()} ${os.release()}`,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}`,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    loadAverage: os.loadavg().map(round2),
  };
}

async function main() {
  if (args.render) {
    // Re-render the markdown from the last JSON (after editing the report's layout or notes).
    const outDir = path.resolve(root, args.out);
    const result = JSON.parse(fs.readFileSync(path.join(outDir, "benchmarks.json"), "utf8"));
    await writeReports(outDir, result as Result);
    log(`re-rendered ${path.join(args.out, "benchmarks.md")}`);
    return;
  }
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
  const env = machine();
  log(
    `${command}: N=${N}, ${RUN_SECONDS}s × ${ROUNDS} rounds per ingest target; work dir ${workDir}`,
  );
  const built = ensureBuild();

  const ingest = args["skip-ingest"] ? null : await benchIngest();

  let bulk: SeedStats | null = null;
  let reads: Awaited<ReturnType<typeof benchReads>> | null = null;
  if (!args["skip-reads"]) {
    const file = path.join(workDir, "bulk", "app.db");
    log(`bulk load: ${N} engagements`);
    let shown = 0;
    bulk = seedBulk({
      file,
      count: N,
      onProgress: (done) => {
        if (done - shown >= N / 4 || done === N) {
          shown = done;
          log(`  ${done}/${N}`);
        }
      },
    });
    log(
      `  ${Math.round(bulk.engagementsPerSecond)} engagements/s, ${Math.round(bulk.rowsPerSecond)} rows/s, ${Math.round(bulk.bytesPerEngagement)} bytes/engagement`,
    );
    reads = await benchReads(file);
  }

  const result = {
    command,
    machine: env,
    n: N,
    builtFirst: built,
    totalSeconds: Math.round((Date.now() - benchStarted) / 1000),
    ingest,
    bulk,
    reads,
  };
  const outDir = path.resolve(root, args.out);
  fs.mkdirSync(outDir, { recursive: true });
  await writeReports(outDir, result);
  log(
    `wrote ${path.join(args.out, "benchmarks.json")} and ${path.join(args.out, "benchmarks.md")}`,
  );
}

/** The JSON and the markdown, formatted as the repository's Prettier check expects. */
async function writeReports(outDir: string, result: Result) {
  const prettier = await import("prettier");
  fs.writeFileSync(
    path.join(outDir, "benchmarks.json"),
    await prettier.format(JSON.stringify(result), { parser: "json" }),
  );
  fs.writeFileSync(
    path.join(outDir, "benchmarks.md"),
    await prettier.format(renderMarkdown(result), { parser: "markdown" }),
  );
}

type Result = {
  command: string;
  machine: ReturnType<typeof machine>;
  n: number;
  totalSeconds: number;
  ingest: Awaited<ReturnType<typeof benchIngest>> | null;
  bulk: SeedStats | null;
  reads: Awaited<ReturnType<typeof benchReads>> | null;
};

const mark = (ok: boolean) => (ok ? "✅" : "❌");

/**
 * Why the misses happen and what would close them. Mechanisms, not this run's figures (those
 * are in the tables); the per-part costs were measured separately on 2026-11-26 and are dated.
 */
const FINDINGS = `## What the misses need

**Ingest b/a.** The no-op route is the framework alone; the webhook adds a durable write of about ten rows (log row, key, engagement, refs, FTS) per request. Compare server CPU per request: (b) − (a) is the webhook's own cost, and (d) shows that the writes alone, with no validation, already cost most of a no-op request. So b/a ≥ 0.85 cannot hold for a write-per-request against a floor that writes nothing, whatever ingest() does. What would move it most:
- **Group commit.** Collect the deliveries that arrive together (up to ~2 ms or N requests), apply them in one IMMEDIATE transaction with a SAVEPOINT each (a failing delivery rolls back alone), answer all after the one COMMIT. BEGIN/COMMIT and the fsync are then paid once per batch instead of once per request; under concurrency 10–50 that is most of the disk wait and a good share of the per-request SQLite cost.
- **synchronous=NORMAL** (row (e)): in WAL mode a commit still survives a killed process (SPEC §2's rule); only an OS crash or power loss can lose the last commits. On this VM fsync latency swings with the neighbours' disk use (0.2–6 ms), which is what spreads (b), (c), (d) from round to round. A product decision for the lead, not made here.
- Re-basing the target as b / (a with the same writes) would measure what the issue means ("our webhook work costs little next to the framework").

**Ingest c/d.** ingest() costs about 0.09 ms more CPU per delivery than the raw statements (in process, no fsync: about 0.31 vs 0.22 ms). Measured piece by piece (µs per delivery, 2026-11-26): Drizzle's prepared statements ~22 µs over raw better-sqlite3 for the same six statements (fillPlaceholders, mapToDriverValue, \`is()\` checks); the zod envelope ~8 µs; lenient field reading ~5.5 µs (a \`resourceRefSchema.safeParse\` per reference); the rest is allocation and GC of the intermediate objects. What would close it: (1) lib/ingest/statements.ts on raw better-sqlite3 statements with named parameters behind the same interface, JSON columns stringified in a thin wrapper (~20 µs); (2) a hand-written type guard for references in lib/morph/fields.ts instead of a zod parse per ref (~4 µs); together about 0.85–0.9. The remainder is validation the floor does not do. Through HTTP the ratio is dominated by fsync waits, so it swings with the disk.

**Count ≤ 25 ms and facets ≤ 50 ms.** A filter that matches a large share of the rows has to visit each of them, and with the default deleted=hide every visit is a table lookup, since deleted_at is in no index. What would close it: (1) a counters table kept in the ingest transaction, keyed by (connection, type, status, direction, deleted), which answers the unfiltered, enum-only, connection and deleted counts and their facets exactly in O(1); (2) covering indexes for the per-person filters, e.g. (owner_id, deleted_at, type, status, direction), making owner counts and facets index-only; (3) for text and combinations, a capped count ("10,000+": count over a LIMIT 10001 subquery), which bounds the cost.

**Full text.** Neither plan alone serves every term: sorting all matches by date is fast for a rare term and slow for a frequent one; walking the date index and testing each row against FTS (\`rowid = ?\`) is the reverse. The page query therefore picks by the number of matches (≤ 5,000: sort them; more: walk by date), which keeps both within 50 ms; see the strategy table. Terms are whole words: a prefix query (\`"customer"*\`) makes every probe merge the doclists of all matching terms, about 50× slower on the walk. A date-ordered FTS rowid (an FTS table keyed by started_at and id) would make \`ORDER BY rowid DESC LIMIT 50\` the page for any term. Frequent-term counts need the capped count above.

**Bytes per engagement.** By object (table above): the engagements table is most of it: \`fields\` keeps the snapshot as received, so every reference is \`{"object":"resourceRef","model":…,"id":…}\` (~60 B each, ~6 per engagement) and title and description are stored twice. Then engagement_refs (~3.7 rows per engagement) as a rowid table plus its primary-key index plus the lookup index, the FTS index, and five engagement indexes. What would close it: engagement_refs as a WITHOUT ROWID table keyed by its primary key (~110 B saved); \`fields\` without the values already held in typed columns, or with compact references (~250 B); content_hash as a 16-byte blob (~30 B). The bulk load writes no delivery log; through the webhook each delivery also keeps its raw body (~1.3 KB) in deliveries, so a million engagements ingested one webhook at a time take about twice the space measured here.

**Bulk load.** Rows per second counts every row written (engagements, ref rows, records); per engagement it is about a fifth of that. About two thirds of the time is generating realistic snapshots in JavaScript and inserting them, a quarter is building the indexes after the load, the rest the FTS rebuild. Generating in a worker thread while the main thread inserts would overlap the two on the second core.
`;

type TargetRow = { target: string; measured: string; held: boolean | null };

/** Each target of issue 4 against this run: held or missed, and by how much. */
function targetRows(r: Result): TargetRow[] {
  const rows: TargetRow[] = [];
  const by = (value: number, bound: number, higherIsBetter: boolean) => {
    const ok = higherIsBetter ? value >= bound : value <= bound;
    if (ok) return "";
    const factor = higherIsBetter ? bound / Math.max(value, 1e-9) : value / bound;
    return ` (missed by ${factor.toFixed(1)}×)`;
  };
  if (r.ingest) {
    for (const s of r.ingest.summary) {
      rows.push({
        target: `ingest b/a ≥ 0.85, c=${s.concurrency}`,
        measured: `${s.ratioBA} by req/s${by(s.ratioBA, 0.85, true)}; ${s.cpuRatioBA} by server CPU`,
        held: s.ratioBA >= 0.85,
      });
      rows.push({
        target: `ingest c/d ≥ 0.90, c=${s.concurrency}`,
        measured: `${s.ratioCD} by req/s${by(s.ratioCD, 0.9, true)}; ${s.cpuRatioCD} by server CPU`,
        held: s.ratioCD >= 0.9,
      });
    }
    const ip = r.ingest.inProcess;
    rows.push({
      target: "ingest c/d ≥ 0.90, in process (no HTTP, no fsync)",
      measured: `${ip.OFF.cpuRatio} by CPU${by(ip.OFF.cpuRatio, 0.9, true)}`,
      held: ip.OFF.cpuRatio >= 0.9,
    });
    const c10 = r.ingest.summary.find((s) => s.concurrency === 10)?.targets.b;
    if (c10) {
      rows.push({
        target: "webhook p99 ≤ 50 ms at c=10 (next start)",
        measured: `${c10.p99} ms${by(c10.p99, 50, false)}`,
        held: c10.p99 <= 50,
      });
    }
    const c50 = r.ingest.summary.find((s) => s.concurrency === 50)?.targets.b;
    if (c50) {
      const bad = c50.timeouts + c50.errors + c50.non2xx;
      rows.push({
        target: "no timeouts or 5xx at c=50 (next start)",
        measured: `${c50.timeouts} timeouts, ${c50.errors} errors, ${c50.non2xx} non-2xx`,
        held: bad === 0,
      });
    }
    const rss = Math.max(
      ...r.ingest.summary.flatMap((s) => Object.values(s.targets).map((t) => t.rssMb)),
    );
    rows.push({
      target: "RSS ≤ 400 MB during ingest",
      measured: `${rss} MB peak`,
      held: rss <= 400,
    });
  }
  if (r.bulk) {
    const b = r.bulk;
    rows.push({
      target: "bulk load ≥ 50k rows/s",
      measured: `${Math.round(b.rowsPerSecond)} rows/s counting every row written (engagements, refs, records); ${Math.round(b.engagementsPerSecond)} engagements/s`,
      held: b.rowsPerSecond >= 50_000,
    });
    rows.push({
      target: `≤ 1.2 KB per engagement on disk (at ${b.engagements})`,
      measured: `${Math.round(b.bytesPerEngagement)} bytes${by(b.bytesPerEngagement, 1200, false)}`,
      held: b.bytesPerEngagement <= 1200,
    });
  }
  if (r.reads) {
    const plain = r.reads.cases.filter((c) => !c.filter.q);
    const text = r.reads.cases.filter((c) => c.filter.q);
    const worst = (cases: typeof plain, pick: (c: (typeof plain)[number]) => number) => {
      const sorted = [...cases].sort((x, y) => pick(y) - pick(x));
      return sorted[0]!;
    };
    const check = (
      label: string,
      cases: typeof plain,
      pick: (c: (typeof plain)[number]) => number,
      bound: number,
    ) => {
      const over = cases.filter((c) => pick(c) > bound);
      const w = worst(cases, pick);
      rows.push({
        target: label,
        measured: over.length
          ? `${over.length} of ${cases.length} over: ${over.map((c) => `${c.name} ${pick(c)} ms`).join(", ")}`
          : `all ${cases.length} within; worst ${w.name} ${pick(w)} ms`,
        held: over.length === 0,
      });
    };
    check("page query ≤ 2 ms, every filter and combination", plain, (c) => c.page.median, 2);
    check("full-text page ≤ 50 ms, any term", text, (c) => c.page.median, 50);
    check("count ≤ 25 ms", plain, (c) => c.count.median, 25);
    check("full-text count ≤ 50 ms", text, (c) => c.count.median, 50);
    check("facet counts ≤ 50 ms", r.reads.cases, (c) => c.facets.median, 50);
    const served = r.reads.http.cases.filter((c) => c.api.status === 200 && c.page.status === 200);
    if (served.length === 0) {
      rows.push({
        target: "page TTFB p50 ≤ 25 ms, every filter",
        measured: `not measurable: /api/engagements and /engagements answered ${r.reads.http.cases[0]?.api.status ?? "?"} in this checkout (the list is not built here yet); the HTTP floor (GET /api/health) is ${r.reads.http.floor.median} ms`,
        held: null,
      });
    } else {
      const slow = served.filter((c) => Math.max(c.api.median, c.page.median) > 25);
      rows.push({
        target: "page TTFB p50 ≤ 25 ms, every filter",
        measured: slow.length
          ? `${slow.length} over: ${slow.map((c) => `${c.name} API ${c.api.median} / page ${c.page.median} ms`).join(", ")}`
          : `all within`,
        held: slow.length === 0,
      });
    }
    const deep = Object.entries(r.reads.deep);
    const deepOk = deep.every(
      ([, d]) => d.page100Keyset.median <= Math.max(2 * d.page1.median, d.page1.median + 0.5),
    );
    rows.push({
      target: "deep pages cost the same as the first (keyset)",
      measured: deep
        .map(
          ([n, d]) =>
            `${n}: ${d.page1.median} → ${d.page100Keyset.median} ms (OFFSET ${d.page100Offset.median})`,
        )
        .join("; "),
      held: deepOk,
    });
    rows.push({
      target: "RSS ≤ 400 MB during reads",
      measured: `${r.reads.rssMb} MB peak`,
      held: r.reads.rssMb <= 400,
    });
  }
  return rows;
}
const fmt = (t: Timing) => `${t.median} (${t.min}–${t.max})`;

function renderMarkdown(r: Result) {
  const lines: string[] = [];
  const m = r.machine;
  lines.push(
    "# Benchmarks",
    "",
    `Last run: \`${r.command}\` on ${m.date} (commit ${m.commit || "?"}), ${r.totalSeconds} s in all.`,
    "",
    `Machine: ${m.cpus}, ${m.memoryGb} GB RAM, ${m.os}; Node ${m.node}, SQLite ${m.sqlite}; load average at start ${m.loadAverage.join(" / ")}.`,
    "The machine is shared and noisy: compare ratios measured in the same run, not absolute req/s across runs.",
    "The load generator (autocannon) runs on the same 2 cores as the server under test.",
    "",
    "## Targets (issue 4)",
    "",
    "| target | measured | held |",
    "| --- | --- | --- |",
    ...targetRows(r).map(
      (t) => `| ${t.target} | ${t.measured} | ${t.held === null ? "n/a" : mark(t.held)} |`,
    ),
    "",
  );
  if (r.ingest) {
    lines.push(
      "## Ingest",
      "",
      `Interleaved a b c d e, ${r.ingest.rounds} rounds of ${r.ingest.seconds} s per target and concurrency (medians shown; every request a new engagement under a new idempotency key, realistic bodies with refs). (a) and (b) are one \`next start\` process; (c), (d), (e) are bare \`node:http\` processes (scripts/lib/bench-server.ts). All use the app's pragmas (WAL, synchronous=FULL) except (e).`,
      "",
      "| concurrency | target | req/s | p50 ms | p99 ms | errors | timeouts | non-2xx | peak RSS MB | server CPU ms/request | req/s per round |",
      "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    );
    for (const s of r.ingest.summary) {
      for (const t of Object.values(s.targets)) {
        lines.push(
          `| ${s.concurrency} | ${t.label} | ${t.rps} | ${t.p50} | ${t.p99} | ${t.errors} | ${t.timeouts} | ${t.non2xx} | ${t.rssMb} | ${t.cpuPerRequest} | ${t.rounds.join(", ")} |`,
        );
      }
    }
    lines.push(
      "",
      "Ratios from req/s, and from server CPU per request (what the req/s ratio would be on idle cores with no disk wait):",
      "",
      "| concurrency | b/a (target ≥ 0.85) | c/d (target ≥ 0.90) | b/a by CPU | c/d by CPU |",
      "| --- | ---: | ---: | ---: | ---: |",
    );
    for (const s of r.ingest.summary) {
      lines.push(
        `| ${s.concurrency} | ${s.ratioBA} ${mark(s.ratioBA >= 0.85)} | ${s.ratioCD} ${mark(s.ratioCD >= 0.9)} | ${s.cpuRatioBA} | ${s.cpuRatioCD} |`,
      );
    }
    const ip = r.ingest.inProcess;
    lines.push(
      "",
      `In process, no HTTP (${ip.deliveriesPerRun} deliveries × 5 interleaved rounds, median ms per delivery, wall / CPU):`,
      "",
      "| synchronous | ingest() | raw statements | raw/ingest (wall) | raw/ingest (CPU) |",
      "| --- | ---: | ---: | ---: | ---: |",
      `| FULL (the app's) | ${ip.FULL.ingestMs} / ${ip.FULL.ingestCpuMs} | ${ip.FULL.rawMs} / ${ip.FULL.rawCpuMs} | ${ip.FULL.ratio} | ${ip.FULL.cpuRatio} |`,
      `| OFF (no fsync: the logic alone) | ${ip.OFF.ingestMs} / ${ip.OFF.ingestCpuMs} | ${ip.OFF.rawMs} / ${ip.OFF.rawCpuMs} | ${ip.OFF.ratio} | ${ip.OFF.cpuRatio} |`,
      "",
      `Stored after the runs: webhook ${JSON.stringify(r.ingest.check.b)}, ingest() ${JSON.stringify(r.ingest.check.c)}, raw ${JSON.stringify(r.ingest.check.d)}.`,
      "",
    );
  }
  if (r.bulk) {
    const b = r.bulk;
    lines.push(
      "## Bulk load (`npm run seed:bulk`)",
      "",
      "| engagements | ref rows | records | seconds | engagements/s | rows/s (all tables) | MB on disk | bytes / engagement |",
      "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      `| ${b.engagements} | ${b.refs} | ${b.records} | ${b.seconds.toFixed(1)} | ${Math.round(b.engagementsPerSecond)} | ${Math.round(b.rowsPerSecond)} | ${(b.bytes / 1024 / 1024).toFixed(0)} | ${Math.round(b.bytesPerEngagement)} |`,
      "",
      `Phases (s): ${Object.entries(b.phases)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}.`,
      "",
      `Space by object: ${b.sizeByObject.map((o) => `${o.name} ${(o.bytes / 1024 / 1024).toFixed(1)} MB`).join(", ")}.`,
      "",
    );
  }
  if (r.reads) {
    lines.push(
      `## Reads at ${r.n} engagements`,
      "",
      "Raw SQL that walks the schema's indexes (scripts/lib/read-queries.ts), median of 20 (5 for a query over 200 ms) with min–max, ms. Page = 50 rows plus every reference and owner resolved to a name. Values are the worst case: the busiest owner, contact, company, deal.",
      r.reads.appQueries
        ? `The app's own functions (${r.reads.appQueries}) are in benchmarks.json under \`app\`.`
        : "The app's own read functions (db/queries/engagements.ts) were not in this checkout: raw SQL only.",
      "",
      "| filter | rows | page (≤ 2) | count (≤ 25) | facets (≤ 50) | API TTFB (≤ 25) | page TTFB (≤ 25) |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    );
    for (const c of r.reads.cases) {
      const h = r.reads.http.cases.find((x) => x.name === c.name)!;
      const pageLimit = c.filter.q ? 50 : 2;
      const status = (x: { status: number }) => (x.status === 200 ? "" : ` (HTTP ${x.status})`);
      lines.push(
        `| ${c.name} | ${c.rows} | ${fmt(c.page)} ${mark(c.page.median <= pageLimit)} | ${fmt(c.count)} ${mark(c.count.median <= (c.filter.q ? 50 : 25))} | ${fmt(c.facets)} ${mark(c.facets.median <= 50)} | ${h.api.median}${status(h.api)} | ${h.page.median}${status(h.page)} |`,
      );
    }
    if (r.reads.cases.some((c) => c.app)) {
      lines.push(
        "",
        `The app's own functions (${r.reads.appQueries}), same filters, median ms:`,
        "",
        "| filter | listEngagements | countEngagements | facetCounts |",
        "| --- | ---: | ---: | ---: |",
      );
      const cell = (v: Timing | string | undefined) =>
        v === undefined ? "–" : typeof v === "string" ? v : fmt(v);
      for (const c of r.reads.cases) {
        const a = (c.app ?? {}) as Record<string, Timing | string>;
        lines.push(
          `| ${c.name} | ${cell(a.listEngagements)} | ${cell(a.countEngagements)} | ${cell(a.facetCounts)} |`,
        );
      }
    }
    const text = r.reads.cases.filter((c) => c.filter.q);
    lines.push(
      "",
      "Full text, both strategies (page ms): all matches sorted by date vs walking the date index and testing each row.",
      "",
      "| filter | rows | adaptive | fts-first | date-walk |",
      "| --- | ---: | ---: | ---: | ---: |",
    );
    for (const c of text) {
      lines.push(
        `| ${c.name} | ${c.rows} | ${fmt(c.page)} | ${fmt(c.extra["page fts-first"]!)} | ${fmt(c.extra["page date-walk"]!)} |`,
      );
    }
    lines.push(
      "",
      "Deep pages (ms): page 100 by keyset cursor vs OFFSET.",
      "",
      "| filter | page 1 | page 100, keyset | page 100, OFFSET |",
      "| --- | ---: | ---: | ---: |",
    );
    for (const [name, d] of Object.entries(r.reads.deep)) {
      lines.push(
        `| ${name} | ${fmt(d.page1)} | ${fmt(d.page100Keyset)} | ${fmt(d.page100Offset)} |`,
      );
    }
    lines.push(
      "",
      `HTTP floor: \`GET /api/health\` TTFB ${r.reads.http.floor.median} ms. Peak RSS of the reading server: ${r.reads.rssMb} MB.`,
      "",
      "Query plans:",
      "",
      ...r.reads.cases.map((c) => `- ${c.name}: \`${c.plan}\``),
      "",
    );
  }
  lines.push(FINDINGS);
  return `${lines.join("\n")}\n`;
}

main().then(
  () => {
    cleanup();
    process.exit(0);
  },
  (error) => {
    console.error(error);
    cleanup();
    process.exit(1);
  },
);
