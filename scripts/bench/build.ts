/**
 * The benchmark's own build of the app: a copy of its sources plus one route the product does
 * not have, the ingest floor. Every `next start` the benchmark runs serves this build.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { appDir, log, nextBinIn, root } from "./harness";

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
  if (!force && fs.existsSync(path.join(appDir, ".next", "BUILD_ID"))) return false;
  log(`building the benchmark's copy of the app in ${appDir} (next build)...`);
  copyApp();
  const result = spawnSync(process.execPath, [nextBinIn(appDir), "build"], {
    cwd: appDir,
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error("next build failed");
  return true;
}
