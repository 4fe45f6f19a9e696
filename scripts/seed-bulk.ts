/**
 * `npm run seed:bulk -- --count N --db FILE`: a realistic dataset (50 reps, 20k contacts,
 * 5k companies, 3k opportunities, every engagement type, two years) written straight into a
 * new SQLite file through the project's schema, for benchmarks and for trying the UI at scale.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { seedBulk } from "./lib/seed";

const { values: args } = parseArgs({
  options: {
    count: { type: "string", default: "100000" },
    db: { type: "string", default: "./bench-data/bulk.db" },
    seed: { type: "string", default: "42" },
    fts: { type: "string", default: "rebuild" },
    force: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (args.help) {
  console.log(`Usage: npm run seed:bulk -- --count N --db FILE [--seed S] [--fts rebuild|triggers] [--force]

Creates FILE (migrated) and fills it with N engagements and every record they reference.
--force replaces an existing FILE. --fts triggers keeps the FTS triggers during the load
(slower; the default drops them and rebuilds the index once).`);
  process.exit(0);
}

const count = Number(args.count.replace(/_/g, ""));
if (!Number.isInteger(count) || count <= 0) {
  console.error(`seed:bulk: --count must be a positive whole number, got "${args.count}"`);
  process.exit(1);
}
if (args.fts !== "rebuild" && args.fts !== "triggers") {
  console.error(`seed:bulk: --fts must be "rebuild" or "triggers", got "${args.fts}"`);
  process.exit(1);
}
const file = path.resolve(args.db);
if (fs.existsSync(file)) {
  if (!args.force) {
    console.error(`seed:bulk: ${file} exists; pass --force to replace it.`);
    process.exit(1);
  }
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
}

const bar = new cliProgress.SingleBar(
  { format: "  {bar} {value}/{total} engagements | {eta}s left", hideCursor: true },
  cliProgress.Presets.shades_classic,
);
bar.start(count, 0);
const stats = seedBulk({
  file,
  count,
  seed: Number(args.seed),
  fts: args.fts,
  onProgress: (done) => bar.update(done),
});
bar.stop();

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
console.log(`Seeded ${file}`);
console.log(
  `  ${stats.engagements} engagements (${stats.deleted} deleted), ${stats.refs} ref rows, ${stats.records} records in ${stats.seconds.toFixed(1)} s`,
);
console.log(
  `  ${Math.round(stats.engagementsPerSecond)} engagements/s, ${Math.round(stats.rowsPerSecond)} rows/s (engagements + refs + records)`,
);
console.log(
  `  ${mb(stats.bytes)} on disk, ${Math.round(stats.bytesPerEngagement)} bytes per engagement (refs, records and FTS included)`,
);
console.log(
  `  phases (s): ${Object.entries(stats.phases)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ")}`,
);
console.log(
  `  largest objects: ${stats.sizeByObject
    .slice(0, 8)
    .map((o) => `${o.name} ${mb(o.bytes)}`)
    .join(", ")}`,
);
