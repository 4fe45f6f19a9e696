/** The processes a run starts and cleans up, what they use (RSS, CPU), and the figures' arithmetic. */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "./app";
import { READ_SAMPLES } from "./settings";

export const root = path.resolve(import.meta.dirname, "..", "..");
/**
 * The benchmark's build of the app (scripts/bench/build.ts), one per checkout. Outside the
 * repository: `eslint .` would lint a copy inside it, its build output included.
 */
export const appDir = path.join(
  os.tmpdir(),
  `engagements-bench-app-${createHash("sha1").update(root).digest("hex").slice(0, 8)}`,
);
/** The `next` of the app in `dir`: its server must load the same next and react as its build. */
export const nextBinIn = (dir: string) =>
  path.join(dir, "node_modules", "next", "dist", "bin", "next");
/** The production server of the app in `dir`: it serves the `.next` build beside its own folder. */
export const serverScriptIn = (dir: string) => path.join(dir, "scripts", "server.mjs");
export const benchStarted = Date.now();

export function log(message: string) {
  const seconds = ((Date.now() - benchStarted) / 1000).toFixed(0).padStart(4);
  console.log(`[${seconds}s] ${message}`);
}

// ---------------------------------------------------------------- processes, always cleaned up
/** Where a run keeps its databases and logs, the servers it started, and what else to undo. */
export type Harness = {
  workDir: string;
  children: Set<ChildProcess>;
  /** Run at cleanup, after the servers are killed (a PostgreSQL cluster's removal). */
  onCleanup(undo: () => void): void;
  cleanup(): void;
};

function killGroup(child: ChildProcess) {
  // Each server runs in its own process group: this takes tsx's esbuild helper along too.
  try {
    if (child.pid) process.kill(-child.pid, "SIGKILL");
  } catch {}
}

/** A fresh work dir; on exit (or a signal) every server still running is killed and the dir removed. */
export function createHarness({ keep }: { keep: boolean }): Harness {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "engagements-bench-"));
  const children = new Set<ChildProcess>();
  const undos: (() => void)[] = [];
  const cleanup = () => {
    for (const child of children) killGroup(child);
    children.clear();
    for (const undo of undos.splice(0).reverse()) {
      try {
        undo();
      } catch (error) {
        console.error(error);
      }
    }
    if (!keep) fs.rmSync(workDir, { recursive: true, force: true });
  };
  process.on("exit", cleanup);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      cleanup();
      process.exit(130);
    });
  }
  return { workDir, children, onCleanup: (undo) => undos.push(undo), cleanup };
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

export type Server = { name: string; url: string; pid: number; stop(): void };

function track(harness: Harness, child: ChildProcess, name: string): Server {
  harness.children.add(child);
  return {
    name,
    url: "",
    pid: child.pid!,
    stop() {
      killGroup(child);
      harness.children.delete(child);
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

/** A server of the benchmark's build (scripts/bench/build.ts), ready once /api/health answers. */
async function startBuilt(
  harness: Harness,
  name: string,
  command: (port: number) => string[],
  env: Record<string, string>,
): Promise<Server> {
  const port = await freePort();
  const logFile = path.join(harness.workDir, `${name}.log`);
  const out = fs.openSync(logFile, "w");
  // As `npm start` runs it (scripts/start.mjs): a fixed V8 old-space limit, NODE_ENV=production.
  const child = spawn(process.execPath, ["--max-old-space-size=384", ...command(port)], {
    cwd: appDir,
    env: { ...process.env, NODE_ENV: "production", ...env, PORT: String(port) },
    stdio: ["ignore", out, out],
    detached: true,
  });
  const server = track(harness, child, name);
  server.url = `http://127.0.0.1:${port}`;
  await waitFor(`${server.url}/api/health`, child, logFile);
  return server;
}

/**
 * What `npm start` serves (scripts/start.mjs → scripts/server.mjs: Next's handler on node:http
 * with a bounded drain), from the benchmark's build. Every app server of the run is one of these.
 */
export function startApp(harness: Harness, name: string, env: Record<string, string>) {
  return startBuilt(
    harness,
    name,
    (port) => [serverScriptIn(appDir), "--port", String(port), "--hostname", "127.0.0.1"],
    env,
  );
}

/** Plain `next start` of the same build: what `npm start` served before scripts/server.mjs. */
export function startNext(harness: Harness, name: string, env: Record<string, string>) {
  return startBuilt(
    harness,
    name,
    (port) => [nextBinIn(appDir), "start", "--port", String(port), "--hostname", "127.0.0.1"],
    env,
  );
}

/** The port a bare server prints ("listening <port>") once it is ready. */
function announcedPort(child: ChildProcess, mode: string, logFile: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
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
}

/** One of scripts/lib/bench-server.ts's bare `node:http` servers, on its own database file. */
export async function startBare(
  harness: Harness,
  mode: "ingest" | "raw",
  commit: "group" | "each",
  dbFile: string,
  env: Record<string, string> = {},
): Promise<Server> {
  const logFile = path.join(harness.workDir, `bare-${path.basename(path.dirname(dbFile))}.log`);
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(root, "scripts/lib/bench-server.ts"), mode, dbFile, commit],
    {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", fs.openSync(logFile, "w")],
      detached: true,
    },
  );
  const server = track(harness, child, mode);
  server.url = `http://127.0.0.1:${await announcedPort(child, mode, logFile)}`;
  return server;
}

/** A process and its descendants, as /proc has them now. */
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

const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) the tree under `pid` has used so far: each living process's own,
 * and what those that ended used (counted in their parent's cutime/cstime once reaped). The tree
 * is read afresh each time, so a PostgreSQL backend started or ended meanwhile is counted once.
 */
export function treeCpuMs(pid: number) {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const fields = fs.readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ");
      // utime, stime, cutime, cstime: fields 14–17 of stat, 11–14 after the name.
      for (const i of [11, 12, 13, 14]) ticks += Number(fields[i]);
    } catch {}
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

function rssKb(pids: number[]) {
  let kb = 0;
  for (const p of pids) {
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, "utf8");
      kb += Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
    } catch {}
  }
  return kb;
}

/**
 * Peak resident memory of the process trees under `pids` (summed) while `fn` runs, sampled
 * from /proc, and their CPU time (`next start` runs its server in a child process); `alongside` trees get their CPU time measured apart (the
 * PostgreSQL server's, beside the app's).
 */
export async function withRss<T>(
  pids: number | number[],
  fn: () => Promise<T>,
  alongside: number[] = [],
): Promise<{ value: T; rssMb: number; cpuMs: number; alongsideCpuMs: number }> {
  const roots = Array.isArray(pids) ? pids : [pids];
  const cpu = (trees: number[]) => sum(trees.map(treeCpuMs));
  const cpuBefore = cpu(roots);
  const alongsideBefore = cpu(alongside);
  // The app servers' trees do not change while they run: read once, sampled cheaply.
  const resident = roots.flatMap(processTree);
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, rssKb(resident) / 1024);
  };
  sample();
  const timer = setInterval(sample, 250);
  try {
    const value = await fn();
    sample();
    return {
      value,
      rssMb: Math.round(peak),
      cpuMs: cpu(roots) - cpuBefore,
      alongsideCpuMs: cpu(alongside) - alongsideBefore,
    };
  } finally {
    clearInterval(timer);
  }
}

// ---------------------------------------------------------------- machine
export function machine() {
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

// ---------------------------------------------------------------- figures
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
export const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
export const round2 = (x: number) => Math.round(x * 100) / 100;
export const round3 = (x: number) => Math.round(x * 1000) / 1000;
/**
 * top/bottom for runs taken in rounds, each round running both sides back to back: the median
 * of the rounds' own ratios. The two sides of a round share the machine's state of the moment;
 * medians taken from different rounds would not.
 */
export const pairedRatio = (top: number[], bottom: number[]) =>
  round2(median(top.map((x, i) => x / bottom[i]!)));

export type Timing = { median: number; min: number; max: number };

/** Median of `samples` runs after a warm-up; a query slower than 200 ms gets 5 (it misses its target anyway). */
export function time(fn: () => unknown, samples = READ_SAMPLES): Timing {
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

const timingOf = (times: number[]): Timing => ({
  median: round2(median(times)),
  min: round2(Math.min(...times)),
  max: round2(Math.max(...times)),
});

/**
 * Each side's median of `samples` calls after one warm-up call each, the sides taken in turn
 * call by call, so a slow spell of the machine lands on both alike and their ratio holds. As
 * `time`: 5 samples when a warm-up took over 200 ms.
 */
export async function timeAlternating<K extends string>(
  sides: Record<K, () => unknown>,
  samples = READ_SAMPLES,
): Promise<Record<K, Timing>> {
  const names = Object.keys(sides) as K[];
  for (const name of names) {
    const warm = performance.now();
    await sides[name]();
    if (performance.now() - warm > 200) samples = Math.min(samples, 5);
  }
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<
    K,
    number[]
  >;
  for (let i = 0; i < samples; i++) {
    for (const name of names) {
      const t = performance.now();
      await sides[name]();
      times[name].push(performance.now() - t);
    }
  }
  return Object.fromEntries(names.map((name) => [name, timingOf(times[name])])) as Record<
    K,
    Timing
  >;
}
