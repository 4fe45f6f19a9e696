/** The ingest benchmark: ingest() vs the raw statements in process, then every target through HTTP. */
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
  startBare,
  startNext,
  sum,
  withRss,
  type Harness,
  type Server,
} from "./harness";
import { createPayloads, deliveriesFrom, HEADERS, type NextPayload } from "./payloads";
import { CONCURRENCY, IN_PROCESS_ROUNDS, WEBHOOK_SECRET, type BenchSettings } from "./settings";

type TargetId = "a" | "b" | "c" | "d" | "c1" | "d1" | "e";
type IngestTarget = {
  id: TargetId;
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
  return autocannon({
    url: target.server.url,
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
/** The database file each target writes to, by the folder it lives in under the work dir. */
const FILES = {
  b: "ingest-next",
  c: "ingest-bare",
  d: "ingest-raw",
  c1: "ingest-bare-each",
  d1: "ingest-raw-each",
  e: "ingest-normal",
} as const;

async function startTargets(harness: Harness) {
  const file = (id: keyof typeof FILES) => path.join(harness.workDir, FILES[id], "app.db");
  log("ingest: starting next start (floor + webhook), bare ingest() and raw SQLite servers");
  const next = await startNext(harness, "next-ingest", {
    DATABASE_URL: file("b"),
    WEBHOOK_SECRET,
    APP_ALLOW_PUBLIC: "1",
  });
  const bare = {
    c: await startBare(harness, "ingest", "group", file("c")),
    d: await startBare(harness, "raw", "group", file("d")),
    c1: await startBare(harness, "ingest", "each", file("c1")),
    d1: await startBare(harness, "raw", "each", file("d1")),
    e: await startBare(harness, "ingest", "group", file("e"), { BENCH_SYNCHRONOUS: "NORMAL" }),
  };
  const post = (id: TargetId, label: string, server: Server, path = "/"): IngestTarget => ({
    id,
    label,
    server,
    path,
  });
  const targets: IngestTarget[] = [
    // The floor: the bench build's route that reads the body and echoes it, past no proxy.
    post("a", "(a) body-echo floor route, next start", next, FLOOR_PATH),
    post("b", "(b) webhook route, next start", next, `/api/webhooks/morph?token=${WEBHOOK_SECRET}`),
    post("c", "(c) ingest() on node:http, group commit", bare.c),
    post("d", "(d) raw SQLite on node:http, group commit", bare.d),
    post("c1", "(c1) ingest() on node:http, a commit per request", bare.c1),
    post("d1", "(d1) raw SQLite on node:http, a commit per request", bare.d1),
    post("e", "(e) = (c) with synchronous=NORMAL", bare.e),
  ];
  return { targets, servers: [next, ...Object.values(bare)], file };
}

async function measureRun(
  target: IngestTarget,
  concurrency: number,
  round: number,
  settings: BenchSettings,
  nextPayload: NextPayload,
): Promise<IngestRun> {
  const {
    value: result,
    rssMb,
    cpuMs: cpu,
  } = await withRss(target.server.pid, () =>
    loadOnce(target, concurrency, settings.runSeconds, nextPayload),
  );
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
  log(
    `  c=${concurrency} round ${round} ${target.label}: ${run.rps} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, errors ${run.errors}, non-2xx ${run.non2xx}, RSS ${rssMb} MB, server CPU ${run.cpuPerRequest} ms/request`,
  );
  return run;
}

/** What a target's database holds after the runs: every delivery logged, every one applied. */
function stored(file: string) {
  const db = openDatabase(file);
  const row = db.$client
    .prepare(
      "SELECT count(*) AS deliveries, sum(outcome = 'applied') AS applied, (SELECT count(*) FROM engagements) AS engagements FROM deliveries",
    )
    .get() as { deliveries: number; applied: number; engagements: number };
  db.$client.close();
  return row;
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
  rounds: number[];
  cpuRounds: number[];
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
    rounds: mine.map((r) => r.rps),
    cpuRounds: mine.map((r) => r.cpuPerRequest),
  };
}

function summarize(runs: IngestRun[], targets: IngestTarget[], concurrency: number) {
  const per = Object.fromEntries(
    targets.map((t) => [
      t.id,
      summarizeTarget(
        t.label,
        runs.filter((r) => r.target === t.id && r.concurrency === concurrency),
      ),
    ]),
  ) as Record<TargetId, TargetSummary>;
  return {
    concurrency,
    targets: per,
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

/** Ingest in process, then every target through HTTP, interleaved round by round. */
export async function benchIngest(harness: Harness, settings: BenchSettings) {
  const nextPayload = createPayloads();
  log("ingest: in-process ingest() vs raw statements");
  const inProcess = benchIngestInProcess(settings, harness.workDir, nextPayload);
  const { targets, servers, file } = await startTargets(harness);
  for (const target of targets) await loadOnce(target, 10, 2, nextPayload); // warm up JITs and caches

  const runs: IngestRun[] = [];
  for (const concurrency of CONCURRENCY) {
    for (let round = 1; round <= settings.rounds; round++) {
      for (const target of targets) {
        runs.push(await measureRun(target, concurrency, round, settings, nextPayload));
      }
    }
  }
  for (const server of servers) server.stop();
  const check = {
    b: stored(file("b")),
    c: stored(file("c")),
    d: stored(file("d")),
    c1: stored(file("c1")),
    d1: stored(file("d1")),
  };
  const summary = CONCURRENCY.map((c) => summarize(runs, targets, c));
  return { runs, summary, check, inProcess, seconds: settings.runSeconds, rounds: settings.rounds };
}

export type IngestResult = Awaited<ReturnType<typeof benchIngest>>;
