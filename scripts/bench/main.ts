/**
 * `npm run bench` (`-- --quick` for a smaller N): ingest, bulk load and reads, measured side by
 * side against our own floors in one run, and on a throwaway PostgreSQL beside SQLite
 * (`--skip-pg` leaves it out). Writes docs/benchmarks.json and docs/benchmarks.md.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildInfo, ensureBuild } from "./build";
import { benchStarted, createHarness, log, machine, root, type Harness } from "./harness";
import { benchIngest } from "./ingest";
import { startBenchPg, type BenchPg } from "./pg";
import { benchReads, bulkFile, bulkLoad, engagementsIn } from "./reads";
import { writeReports, type Result } from "./report";
import { settingsFrom, type BenchSettings } from "./settings";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    n: { type: "string" },
    duration: { type: "string" },
    rounds: { type: "string" },
    "skip-ingest": { type: "boolean", default: false },
    "skip-reads": { type: "boolean", default: false },
    // PostgreSQL's ingest targets and reads, and the cluster they run on.
    "skip-pg": { type: "boolean", default: false },
    build: { type: "boolean", default: false },
    out: { type: "string", default: "docs" },
    keep: { type: "boolean", default: false },
    render: { type: "boolean", default: false },
    // Reads against this database instead of a fresh bulk load (opened and migrated: a copy).
    db: { type: "string" },
  },
});
const settings = settingsFrom(args);
const outDir = path.resolve(root, args.out);

/** Re-render the markdown from the last JSON (after editing the report's layout or notes). */
async function render() {
  const result = JSON.parse(fs.readFileSync(path.join(outDir, "benchmarks.json"), "utf8"));
  await writeReports(outDir, result as Result, settings);
  log(`re-rendered ${path.join(args.out, "benchmarks.md")}`);
}

/** The bulk load and the reads, or the reads alone against `--db`; nothing with --skip-reads. */
async function bulkAndReads(harness: Harness, settings: BenchSettings, pg: BenchPg | null) {
  if (args["skip-reads"]) return { n: settings.n, bulk: null, reads: null };
  if (args.db) {
    const file = path.resolve(args.db);
    const n = engagementsIn(file);
    log(`reads against ${file} (${n} engagements), no bulk load`);
    return { n, bulk: null, reads: await benchReads(harness, settings, file, pg) };
  }
  const file = bulkFile(harness);
  const bulk = bulkLoad(file, settings.n);
  return { n: settings.n, bulk, reads: await benchReads(harness, settings, file, pg) };
}

async function run(harness: Harness) {
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
  const env = machine();
  log(
    `${command}: N=${settings.n}, ${settings.runSeconds}s × ${settings.rounds} rounds per ingest target; work dir ${harness.workDir}`,
  );
  const built = ensureBuild(args.build);
  const needsPg = !args["skip-pg"] && !(args["skip-ingest"] && args["skip-reads"]);
  const pg = needsPg ? await startBenchPg(harness) : null;
  const ingest = args["skip-ingest"] ? null : await benchIngest(harness, settings, pg);
  const { n, bulk, reads } = await bulkAndReads(harness, settings, pg);
  const result = {
    command,
    machine: env,
    n,
    builtFirst: built,
    build: buildInfo(),
    postgres: pg?.info ?? null,
    totalSeconds: Math.round((Date.now() - benchStarted) / 1000),
    ingest,
    bulk,
    reads,
  };
  fs.mkdirSync(outDir, { recursive: true });
  await writeReports(outDir, result, settings);
  log(
    `wrote ${path.join(args.out, "benchmarks.json")} and ${path.join(args.out, "benchmarks.md")}`,
  );
}

const harness = createHarness({ keep: args.keep });
(args.render ? render() : run(harness)).then(
  () => {
    harness.cleanup();
    process.exit(0);
  },
  (error) => {
    console.error(error);
    harness.cleanup();
    process.exit(1);
  },
);
