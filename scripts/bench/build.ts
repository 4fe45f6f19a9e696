/**
 * The benchmark's own build of the app: a copy of its sources plus one route the product does
 * not have, the ingest floor. Every app server the benchmark runs serves this build, through
 * the copy's scripts/server.mjs as `npm start` does (and once through plain `next start`).
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { appDir, log, nextBinIn, root, serverScriptIn } from "./harness";

/** What `next build` and `next start` read; db/ whole, for the migrations read from the cwd. */
const SOURCES = [
  "app",
  "components",
  "db",
  "lib",
  "public",
  "instrumentation.ts",
  "proxy.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
  "next-env.d.ts",
  // Tailwind's source scan skips what it lists (node_modules, .next).
  ".gitignore",
];

/**
 * Under `api/webhooks/` because proxy.ts's matcher leaves that prefix out: the floor skips the
 * proxy exactly as the webhook does, so (b) − (a) is the webhook's own work.
 */
export const FLOOR_PATH = "/api/webhooks/bench-floor";

/** The floor: read the body and answer it back, nothing more (the webhook reads its body too). */
export const FLOOR_ROUTE = `export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const body = await request.text();
  return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
}
`;

/** Next refuses a symlinked node_modules; hard links are as fast and take no space. */
function linkNodeModules() {
  const from = path.join(root, "node_modules");
  const to = path.join(appDir, "node_modules");
  try {
    execFileSync("cp", ["-al", from, to], { stdio: "pipe" });
  } catch {
    log("  node_modules cannot be hard-linked there (another filesystem): copying it");
    fs.rmSync(to, { recursive: true, force: true });
    execFileSync("cp", ["-a", from, to]);
  }
}

/**
 * What `npm start` runs, refreshed on every run: it is not part of the build, and it finds the
 * build from its own folder (`path.resolve(import.meta.dirname, "..")`), so it lives in the
 * copy's scripts/.
 */
function copyServer() {
  const to = serverScriptIn(appDir);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(path.join(root, "scripts", "server.mjs"), to);
}

/** Where the build says what it was built from. */
const BUILD_INFO = path.join(appDir, "bench-build.json");

/** The commit the build's sources were copied at, and those of its files that differed from it. */
export type BuildInfo = { commit: string; uncommitted: string[]; builtAt: string };

function git(args: string[]) {
  try {
    return execFileSync("git", args, { cwd: root, stdio: ["ignore", "pipe", "ignore"] }).toString();
  } catch {
    return "";
  }
}

function describeSources(): BuildInfo {
  const status = git(["status", "--porcelain", "--", ...SOURCES, "scripts/server.mjs"]);
  return {
    commit: git(["rev-parse", "--short", "HEAD"]).trim(),
    uncommitted: status
      .split("\n")
      .filter(Boolean)
      .map((line) => line.slice(3)),
    builtAt: new Date().toISOString(),
  };
}

/** What the build in use was made from (null for a build from before this was kept). */
export function buildInfo(): BuildInfo | null {
  try {
    return JSON.parse(fs.readFileSync(BUILD_INFO, "utf8")) as BuildInfo;
  } catch {
    return null;
  }
}

/** A fresh copy of the sources, node_modules linked in, and the floor route added. */
function copyApp() {
  fs.rmSync(appDir, { recursive: true, force: true });
  fs.mkdirSync(appDir, { recursive: true });
  for (const entry of SOURCES) {
    const from = path.join(root, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(appDir, entry), { recursive: true });
  }
  linkNodeModules();
  const route = path.join(appDir, "app", ...FLOOR_PATH.split("/").filter(Boolean), "route.ts");
  if (fs.existsSync(route)) throw new Error(`the app has a route at ${FLOOR_PATH} of its own`);
  fs.mkdirSync(path.dirname(route), { recursive: true });
  fs.writeFileSync(route, FLOOR_ROUTE);
}

/** Copy and `next build` unless a build is there (or `force`); true if it built. */
export function ensureBuild(force: boolean) {
  if (!force && fs.existsSync(path.join(appDir, ".next", "BUILD_ID"))) {
    copyServer();
    return false;
  }
  log(`building the benchmark's copy of the app in ${appDir} (next build)...`);
  const sources = describeSources();
  copyApp();
  copyServer();
  const result = spawnSync(process.execPath, [nextBinIn(appDir), "build"], {
    cwd: appDir,
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error("next build failed");
  fs.writeFileSync(BUILD_INFO, JSON.stringify(sources));
  return true;
}
