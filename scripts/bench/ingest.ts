/**
 * The ingest benchmark: ingest() vs the raw statements in process, then every target through
 * HTTP, PostgreSQL's beside SQLite's in the same rounds.
 */
import fs from "node:fs";
import path from "node:path";
import autocannon, { type AutocannonRequest, type AutocannonResult } from "autocannon";
import { createRawGroup, createRawIngest } from "../lib/raw-ingest";
import { ingestGroup, ingestOne, openDatabase } from "./app";
import { FLOOR_PATH } from "./build";
import {
  log,
  median,
  pairedRatio,
  round3,
  startApp,
  startBare,
  startNext,
  sum,
  withRss,
  type Harness,
  type Server,
} from "./harness";
import { createPayloads, deliveriesFrom, HEADERS, type NextPayload } from "./payloads";
import { onPg, pgCounters, PG_STATS_SETTLE_MS, type BenchPg, type PgCounters } from "./pg";
import { CONCURRENCY, IN_PROCESS_ROUNDS, WEBHOOK_SECRET, type BenchSettings } from "./settings";

type TargetId = "a" | "b" | "bn" | "p1" | "p2" | "c" | "d" | "c1" | "d1" | "e";
type IngestTarget = {
  id: TargetId;
  label: string;
  /** More than one: the load generator's connections are dealt out between them in turn. */
  servers: Server[];
  path: string;
  /** Its store is the run's PostgreSQL, whose server CPU is measured beside the app's. */
  onPg: boolean;
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
  /** The PostgreSQL server's CPU per request (ms), its backends included; null off PostgreSQL. */
  pgCpuPerRequest: number | null;
  /** Bytes of WAL PostgreSQL wrote per request; null off PostgreSQL. */
  pgWalBytesPerRequest: number | null;
};

function loadOnce(
  target: IngestTarget,
  concurrency: number,
  seconds: number,
  nextPayload: NextPayload,
): Promise<AutocannonResult> {
  // Every target, the floor (a) too, takes a new delivery per request.
  const request: AutocannonRequest = {
    method: "POST",
    path: target.path,
    setupRequest: (request) => {
      const { key, body } = nextPayload();
      return {
        ...request,
        method: "POST",
        path: target.path,
        headers: { ...HEADERS, "x-idempotency-key": key },
        body,
      };
    },
  };
  const urls = target.servers.map((server) => server.url);
  return autocannon({
    // Several: connection i goes to urls[i % n], so each process takes an equal share.
    url: urls.length === 1 ? urls[0]! : urls,
    connections: concurrency,
    duration: seconds,
    timeout: 10,
    requests: [request],
  });
}

// ---------------------------------------------------------------- in process
/**
 * ingest() against the raw statements in this process, no HTTP: where the CPU goes per delivery,
 * with fsync (the app's synchronous=FULL) and without it (synchronous=OFF, the logic alone), a
 * transaction per delivery; and with fsync in groups of 10 (the writer's group commit).
 */
const GROUP = 10;
type InProcessConfig = {
  name: "FULL" | "FULL_GROUP" | "OFF";
  synchronous: "FULL" | "OFF";
  group: number;
  deliveries: number;
};
type InProcessRow = {
  ingestMs: number;
  rawMs: number;
  ratio: number;
  ingestCpuMs: number;
  rawCpuMs: number;
  cpuRatio: number;
};

/** One side of one round on a fresh file: wall and CPU ms per delivery. */
function runSide(
  which: "ingest" | "raw",
  config: InProcessConfig,
  file: string,
  nextPayload: NextPayload,
) {
  const db = openDatabase(file);
  db.$client.pragma(`synchronous = ${config.synchronous}`);
  const rawOne = createRawIngest(db.$client);
  const rawGroup = createRawGroup(db.$client);
  const deliveries = deliveriesFrom(nextPayload, config.deliveries);
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  if (config.group === 1) {
    for (const d of deliveries) {
      if (which === "ingest") ingestOne(db, d);
      else rawOne(d);
    }
  } else {
    for (let i = 0; i < deliveries.length; i += config.group) {
      const group = deliveries.slice(i, i + config.group);
      if (which === "ingest") ingestGroup(db, group);
      else rawGroup(group);
    }
  }
  const cpu = process.cpuUsage(cpuStart);
  const wallMs = (performance.now() - started) / config.deliveries;
  db.$client.close();
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 / config.deliveries };
}

function benchInProcessConfig(
  config: InProcessConfig,
  workDir: string,
  nextPayload: NextPayload,
): InProcessRow {
  const wall = { ingest: [] as number[], raw: [] as number[] };
  const cpu = { ingest: [] as number[], raw: [] as number[] };
  for (let round = -1; round < IN_PROCESS_ROUNDS; round++) {
    // Each goes first every other round: the one after writes while the kernel still flushes
    // the other's pages.
    const order = round % 2 === 0 ? (["ingest", "raw"] as const) : (["raw", "ingest"] as const);
    for (const which of order) {
      const file = path.join(workDir, "in-process", `${which}-${config.name}-${round}.db`);
      const side = runSide(which, config, file, nextPayload);
      if (round < 0) continue;
      wall[which].push(side.wallMs);
      cpu[which].push(side.cpuMs);
    }
  }
  const row = {
    ingestMs: round3(median(wall.ingest)),
    rawMs: round3(median(wall.raw)),
    ratio: pairedRatio(wall.raw, wall.ingest),
    ingestCpuMs: round3(median(cpu.ingest)),
    rawCpuMs: round3(median(cpu.raw)),
    cpuRatio: pairedRatio(cpu.raw, cpu.ingest),
  };
  log(
    `  in-process, synchronous=${config.synchronous}${config.group > 1 ? `, groups of ${config.group}` : ""}: ingest() ${row.ingestMs} ms/delivery (CPU ${row.ingestCpuMs}), raw ${row.rawMs} ms/delivery (CPU ${row.rawCpuMs}), raw/ingest ${row.ratio} (CPU ${row.cpuRatio})`,
  );
  return row;
}

function benchIngestInProcess(settings: BenchSettings, workDir: string, nextPayload: NextPayload) {
  const perMode = settings.quick ? 800 : 2000;
  // Without fsync a run is short, so its figure would be mostly V8 still compiling the path:
  // more deliveries, and (as for every config) one unmeasured run of each side first.
  const configs: InProcessConfig[] = [
    { name: "FULL", synchronous: "FULL", group: 1, deliveries: perMode },
    { name: "FULL_GROUP", synchronous: "FULL", group: GROUP, deliveries: perMode },
    { name: "OFF", synchronous: "OFF", group: 1, deliveries: perMode * 5 },
  ];
  const out: Partial<Record<InProcessConfig["name"], InProcessRow>> = {};
  for (const config of configs) {
    out[config.name] = benchInProcessConfig(config, workDir, nextPayload);
  }
  return {
    deliveriesPerRun: perMode,
    offDeliveriesPerRun: configs.find((c) => c.name === "OFF")!.deliveries,
    groupSize: GROUP,
    FULL: out.FULL!,
    FULL_GROUP: out.FULL_GROUP!,
    OFF: out.OFF!,
  };
}

// ---------------------------------------------------------------- through HTTP
/** The database file each SQLite target writes to, by the folder it lives in under the work dir. */
const FILES = {
  b: "ingest-next",
  bn: "ingest-next-start",
  c: "ingest-bare",
  d: "ingest-raw",
  c1: "ingest-bare-each",
  d1: "ingest-raw-each",
  e: "ingest-normal",
} as const;

/** Each PostgreSQL target's own database on the run's cluster. */
const PG_DATABASES = { p1: "ingest_one_process", p2: "ingest_two_processes" } as const;

const WEBHOOK_PATH = `/api/webhooks/morph?token=${WEBHOOK_SECRET}`;
const appEnv = (databaseUrl: string) => ({
  DATABASE_URL: databaseUrl,
  WEBHOOK_SECRET,
  APP_ALLOW_PUBLIC: "1",
});

/** The webhook on PostgreSQL: one server.mjs process, and two sharing one database. */
async function startPgTargets(harness: Harness, pg: BenchPg) {
  const url = {
    p1: await pg.createDatabase(PG_DATABASES.p1),
    p2: await pg.createDatabase(PG_DATABASES.p2),
  };
  const one = await startApp(harness, "app-ingest-pg", appEnv(url.p1));
  const two = [
    await startApp(harness, "app-ingest-pg-a", appEnv(url.p2)),
    await startApp(harness, "app-ingest-pg-b", appEnv(url.p2)),
  ];
  return { one, two, url };
}

async function startTargets(harness: Harness, pg: BenchPg | null) {
  const file = (id: keyof typeof FILES) => path.join(harness.workDir, FILES[id], "app.db");
  log(
    `ingest: starting the app (server.mjs: floor + webhook), plain next start, ${pg ? "the app on PostgreSQL (one process, two), " : ""}bare ingest() and raw SQLite servers`,
  );
  const app = await startApp(harness, "app-ingest", appEnv(file("b")));
  const nextStart = await startNext(harness, "next-start-ingest", appEnv(file("bn")));
  const onPostgres = pg ? await startPgTargets(harness, pg) : null;
  const bare = {
    c: await startBare(harness, "ingest", "group", file("c")),
    d: await startBare(harness, "raw", "group", file("d")),
    c1: await startBare(harness, "ingest", "each", file("c1")),
    d1: await startBare(harness, "raw", "each", file("d1")),
    e: await startBare(harness, "ingest", "group", file("e"), { BENCH_SYNCHRONOUS: "NORMAL" }),
  };
  const post = (
    id: TargetId,
    label: string,
    servers: Server | Server[],
    path = "/",
    onPg = false,
  ): IngestTarget => ({
    id,
    label,
    servers: Array.isArray(servers) ? servers : [servers],
    path,
    onPg,
  });
  const targets: IngestTarget[] = [
    // The floor: the bench build's route that reads the body and echoes it, past no proxy.
    post("a", "(a) body-echo floor route, server.mjs", app, FLOOR_PATH),
    post("b", "(b) webhook route, server.mjs", app, WEBHOOK_PATH),
    post("bn", "(bn) webhook route, plain next start", nextStart, WEBHOOK_PATH),
    ...(onPostgres
      ? [
          post(
            "p1",
            "(p1) webhook route, server.mjs on PostgreSQL",
            onPostgres.one,
            WEBHOOK_PATH,
            true,
          ),
          post(
            "p2",
            "(p2) webhook route, two server.mjs processes on one PostgreSQL database",
            onPostgres.two,
            WEBHOOK_PATH,
            true,
          ),
        ]
      : []),
    post("c", "(c) ingest() on node:http, group commit", bare.c),
    post("d", "(d) raw SQLite on node:http, group commit", bare.d),
    post("c1", "(c1) ingest() on node:http, a commit per request", bare.c1),
    post("d1", "(d1) raw SQLite on node:http, a commit per request", bare.d1),
    post("e", "(e) = (c) with synchronous=NORMAL", bare.e),
  ];
  const servers = [
    app,
    nextStart,
    ...(onPostgres ? [onPostgres.one, ...onPostgres.two] : []),
    ...Object.values(bare),
  ];
  return { targets, servers, file, pgUrl: onPostgres?.url ?? null };
}

async function measureRun(
  target: IngestTarget,
  concurrency: number,
  round: number,
  settings: BenchSettings,
  nextPayload: NextPayload,
  pg: BenchPg | null,
  tallies: Tallies,
): Promise<IngestRun> {
  const counting = target.onPg && pg ? pg.cluster.adminUrl : null;
  const walBefore = counting ? (await pgCounters(counting)).walPosition : 0;
  const {
    value: result,
    rssMb,
    cpuMs: cpu,
    alongsideCpuMs: pgCpu,
  } = await withRss(
    target.servers.map((server) => server.pid),
    () => loadOnce(target, concurrency, settings.runSeconds, nextPayload),
    target.onPg && pg ? [pg.postmasterPid] : [],
  );
  tally(tallies, target, concurrency, result);
  const requests = result["2xx"] + result.non2xx;
  const pgWalBytesPerRequest = counting
    ? Math.round(((await pgCounters(counting)).walPosition - walBefore) / Math.max(1, requests))
    : null;
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
    pgCpuPerRequest: target.onPg ? round3(pgCpu / Math.max(1, requests)) : null,
    pgWalBytesPerRequest,
  };
  log(
    `  c=${concurrency} round ${round} ${target.label}: ${run.rps} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, errors ${run.errors}, non-2xx ${run.non2xx}, RSS ${rssMb} MB, server CPU ${run.cpuPerRequest} ms/request${run.pgCpuPerRequest === null ? "" : ` + PostgreSQL ${run.pgCpuPerRequest}`}${pgWalBytesPerRequest === null ? "" : `, ${pgWalBytesPerRequest} bytes of WAL`}`,
  );
  return run;
}

const answered200 = (result: AutocannonResult) => result.statusCodeStats?.["200"]?.count ?? 0;

/**
 * Every load a target took (warm-up included): the requests answered 200, and how many could
 * have been taken and left unanswered when a load stopped (autocannon drops its connections
 * with requests in flight, which the server still commits) or timed out.
 */
type Tally = { answered200: number; inFlightAtStops: number };
type Tallies = Map<TargetId, Tally>;
function tally(
  tallies: Tallies,
  target: IngestTarget,
  concurrency: number,
  result: AutocannonResult,
) {
  const t = tallies.get(target.id) ?? { answered200: 0, inFlightAtStops: 0 };
  t.answered200 += answered200(result);
  t.inFlightAtStops += concurrency + result.timeouts + result.errors;
  tallies.set(target.id, t);
}

type Stored = { deliveries: number; applied: number; engagements: number };

/** What a SQLite target's database holds after the runs: every delivery logged, every one applied. */
function storedSqlite(file: string): Stored {
  const db = openDatabase(file);
  const row = db.$client
    .prepare(
      "SELECT count(*) AS deliveries, sum(outcome = 'applied') AS applied, (SELECT count(*) FROM engagements) AS engagements FROM deliveries",
    )
    .get() as Stored;
  db.$client.close();
  return row;
}

function storedPg(url: string): Promise<Stored> {
  return onPg(url, async (client) => {
    const { rows } = await client.query<Stored>(
      `select count(*)::int as deliveries, (count(*) filter (where outcome = 'applied'))::int as applied,
              (select count(*)::int from engagements) as engagements from deliveries`,
    );
    return rows[0]!;
  });
}

/**
 * The store against the load generator: what was answered 200 is all applied, and what was
 * applied beyond it is no more than the requests cut off in flight.
 */
export type StoredCheck = Stored & Tally & { held: boolean };

function checkStored(tallies: Tallies, id: TargetId, stored: Stored): StoredCheck {
  const t = tallies.get(id) ?? { answered200: 0, inFlightAtStops: 0 };
  const extra = stored.applied - t.answered200;
  return {
    ...stored,
    ...t,
    held:
      extra >= 0 &&
      extra <= t.inFlightAtStops &&
      stored.engagements === stored.applied &&
      stored.deliveries === stored.applied,
  };
}

type TargetSummary = {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  rssMb: number;
  cpuPerRequest: number;
  pgCpuPerRequest: number | null;
  pgWalBytesPerRequest: number | null;
  rounds: number[];
  cpuRounds: number[];
  /** App and PostgreSQL server CPU together, per round (the app's alone off PostgreSQL). */
  allCpuRounds: number[];
};

function summarizeTarget(label: string, mine: IngestRun[]): TargetSummary {
  return {
    label,
    rps: median(mine.map((r) => r.rps)),
    p50: median(mine.map((r) => r.p50)),
    p99: median(mine.map((r) => r.p99)),
    errors: sum(mine.map((r) => r.errors)),
    timeouts: sum(mine.map((r) => r.timeouts)),
    non2xx: sum(mine.map((r) => r.non2xx)),
    rssMb: Math.max(...mine.map((r) => r.rssMb)),
    cpuPerRequest: round3(median(mine.map((r) => r.cpuPerRequest))),
    pgCpuPerRequest: mine.some((r) => r.pgCpuPerRequest !== null)
      ? round3(median(mine.map((r) => r.pgCpuPerRequest ?? 0)))
      : null,
    pgWalBytesPerRequest: mine.some((r) => r.pgWalBytesPerRequest !== null)
      ? Math.round(median(mine.map((r) => r.pgWalBytesPerRequest ?? 0)))
      : null,
    rounds: mine.map((r) => r.rps),
    cpuRounds: mine.map((r) => r.cpuPerRequest),
    allCpuRounds: mine.map((r) => round3(r.cpuPerRequest + (r.pgCpuPerRequest ?? 0))),
  };
}

function summarize(runs: IngestRun[], targets: IngestTarget[], concurrency: number) {
  // p1 and p2 are missing from a run without PostgreSQL.
  const per = Object.fromEntries(
    targets.map((t) => [
      t.id,
      summarizeTarget(
        t.label,
        runs.filter((r) => r.target === t.id && r.concurrency === concurrency),
      ),
    ]),
  ) as Record<Exclude<TargetId, "p1" | "p2">, TargetSummary> &
    Partial<Record<"p1" | "p2", TargetSummary>>;
  return {
    concurrency,
    targets: per,
    /** server.mjs against plain `next start`, the webhook on the same build: its cost (or gain). */
    ratioServer: pairedRatio(per.b.rounds, per.bn.rounds),
    cpuRatioServer: pairedRatio(per.bn.cpuRounds, per.b.cpuRounds),
    ...pgRatios(per),
    ratioBA: pairedRatio(per.b.rounds, per.a.rounds),
    ratioCD: pairedRatio(per.c.rounds, per.d.rounds),
    /** c/d with a commit per request on both sides (the strategy before group commit). */
    ratioCD1: pairedRatio(per.c1.rounds, per.d1.rounds),
    /** The same ratios from server CPU per request: what the throughput ratio would be on idle cores. */
    cpuRatioBA: pairedRatio(per.a.cpuRounds, per.b.cpuRounds),
    cpuRatioCD: pairedRatio(per.d.cpuRounds, per.c.cpuRounds),
    cpuRatioCD1: pairedRatio(per.d1.cpuRounds, per.c1.cpuRounds),
  };
}

/**
 * PostgreSQL's webhook against SQLite's (b), and two processes against one, by req/s and by CPU
 * per request with the PostgreSQL server's counted in (SQLite's storage work runs in the app's
 * own process, its writer thread). Null when the run has no PostgreSQL.
 */
function pgRatios(per: Partial<Record<TargetId, TargetSummary>>) {
  const { b, p1, p2 } = per;
  if (!b || !p1?.rounds.length || !p2?.rounds.length) return { pg: null };
  return {
    pg: {
      ratioP1B: pairedRatio(p1.rounds, b.rounds),
      ratioP2P1: pairedRatio(p2.rounds, p1.rounds),
      cpuRatioP1B: pairedRatio(b.allCpuRounds, p1.allCpuRounds),
      cpuRatioP2P1: pairedRatio(p1.allCpuRounds, p2.allCpuRounds),
    },
  };
}

/** Each target's first load, unmeasured, at least this long. */
const WARM_SECONDS = 5;

async function settledCounters(pg: BenchPg) {
  await new Promise((resolve) => setTimeout(resolve, PG_STATS_SETTLE_MS));
  return pgCounters(pg.cluster.adminUrl);
}

/**
 * PostgreSQL's transactions per delivery for each target (reads included: every transaction
 * counts), over all its measured runs, from its own database's counters; and the WAL flushes
 * over every PostgreSQL run together (the cluster's).
 */
function pgWorkOf(before: PgCounters, after: PgCounters, runs: IngestRun[]) {
  const perTarget = Object.fromEntries(
    (["p1", "p2"] as const).map((id) => {
      const name = PG_DATABASES[id];
      const requests = sum(runs.filter((r) => r.target === id).map((r) => r.requests));
      const d = (key: "commits" | "rollbacks") =>
        (after.databases[name]?.[key] ?? 0) - (before.databases[name]?.[key] ?? 0);
      return [
        id,
        {
          requests,
          commits: d("commits"),
          rollbacks: d("rollbacks"),
          commitsPerRequest: round3(d("commits") / Math.max(1, requests)),
          rollbacksPerRequest: round3(d("rollbacks") / Math.max(1, requests)),
        },
      ];
    }),
  );
  const deliveries = sum(Object.values(perTarget).map((t) => t.requests));
  const walSyncs = after.walSyncs - before.walSyncs;
  return {
    perTarget,
    walSyncs,
    deliveries,
    /** Above 1: concurrent commits shared a flush (PostgreSQL's own group commit). */
    deliveriesPerWalSync: round3(deliveries / Math.max(1, walSyncs)),
  };
}

/** Ingest in process, then every target through HTTP, interleaved round by round. */
export async function benchIngest(harness: Harness, settings: BenchSettings, pg: BenchPg | null) {
  const nextPayload = createPayloads();
  log("ingest: in-process ingest() vs raw statements");
  const inProcess = benchIngestInProcess(settings, harness.workDir, nextPayload);
  const { targets, servers, file, pgUrl } = await startTargets(harness, pg);
  const tallies: Tallies = new Map();
  // Warm up JITs, caches and pools (PostgreSQL's stores migrate on their first delivery): a
  // just-started Next server runs its first seconds unoptimised.
  const warmSeconds = Math.max(WARM_SECONDS, settings.runSeconds);
  for (const target of targets) {
    tally(tallies, target, 10, await loadOnce(target, 10, warmSeconds, nextPayload));
  }
  const counted = pg && pgUrl ? await settledCounters(pg) : null;

  const runs: IngestRun[] = [];
  for (const concurrency of CONCURRENCY) {
    for (let round = 1; round <= settings.rounds; round++) {
      for (const target of targets) {
        runs.push(await measureRun(target, concurrency, round, settings, nextPayload, pg, tallies));
      }
    }
  }
  for (const server of servers) server.stop();
  const pgWork = pg && counted ? pgWorkOf(counted, await settledCounters(pg), runs) : null;
  const check: Partial<Record<TargetId, StoredCheck>> = {};
  for (const id of ["b", "bn", "c", "d", "c1", "d1"] as const) {
    check[id] = checkStored(tallies, id, storedSqlite(file(id)));
  }
  if (pgUrl) {
    check.p1 = checkStored(tallies, "p1", await storedPg(pgUrl.p1));
    check.p2 = checkStored(tallies, "p2", await storedPg(pgUrl.p2));
  }
  const summary = CONCURRENCY.map((c) => summarize(runs, targets, c));
  return {
    runs,
    summary,
    check,
    pgWork,
    inProcess,
    seconds: settings.runSeconds,
    rounds: settings.rounds,
    warmSeconds,
  };
}

export type IngestResult = Awaited<ReturnType<typeof benchIngest>>;
