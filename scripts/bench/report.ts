/** docs/benchmarks.json and docs/benchmarks.md from a run's result. */
import fs from "node:fs";
import path from "node:path";
import type { SeedStats } from "../lib/seed";
import { DEFAULT_TUNING } from "./app";
import { FLOOR_PATH, type BuildInfo } from "./build";
import { findings, mark, targetRows, type RunFigures } from "./findings";
import type { machine, Timing } from "./harness";
import type { IngestResult } from "./ingest";
import type { PgServerInfo } from "./pg";
import { pgIngestSection, pgReadsSection } from "./report-pg";
import type { ReadsResult } from "./reads";
import { HTTP_WARM_ROUNDS, IN_PROCESS_ROUNDS, READ_SAMPLES, type BenchSettings } from "./settings";

/** What docs/benchmarks.json holds: the run's figures and where they were taken. */
export type Result = RunFigures & {
  command: string;
  machine: ReturnType<typeof machine>;
  n: number;
  totalSeconds: number;
  /** What the app servers' build was made from (absent in runs from before it was kept). */
  build?: BuildInfo | null;
  /** The run's PostgreSQL, null with --skip-pg. */
  postgres?: PgServerInfo | null;
};

/** The JSON and the markdown, formatted as the repository's Prettier check expects. */
export async function writeReports(outDir: string, result: Result, settings: BenchSettings) {
  const prettier = await import("prettier");
  fs.writeFileSync(
    path.join(outDir, "benchmarks.json"),
    await prettier.format(JSON.stringify(result), { parser: "json" }),
  );
  fs.writeFileSync(
    path.join(outDir, "benchmarks.md"),
    await prettier.format(renderMarkdown(result, settings), { parser: "markdown" }),
  );
}

const fmt = (t: Timing) => `${t.median} (${t.min}–${t.max})`;

// ---------------------------------------------------------------- markdown
function renderMarkdown(r: Result, settings: BenchSettings) {
  const m = r.machine;
  const lines = [
    "# Benchmarks",
    "",
    `Last run: \`${r.command}\` on ${m.date} (commit ${m.commit || "?"}), ${r.totalSeconds} s in all.`,
    "",
    `Machine: ${m.cpus}, ${m.memoryGb} GB RAM, ${m.os}; Node ${m.node}, SQLite ${m.sqlite}; load average at start ${m.loadAverage.join(" / ")}.`,
    ...buildLines(r),
    "The machine is shared and noisy: compare ratios measured in the same run, not absolute req/s across runs.",
    "The load generator (autocannon) runs on the same 2 cores as the servers under test, PostgreSQL's included.",
    "",
    "## Targets",
    "",
    "| target | measured | held |",
    "| --- | --- | --- |",
    ...targetRows(r).map(
      (t) => `| ${t.target} | ${t.measured} | ${t.held === null ? "n/a" : mark(t.held)} |`,
    ),
    "",
  ];
  if (r.ingest) lines.push(...ingestSection(r.ingest), ...pgIngestSection(r.ingest));
  if (r.bulk) lines.push(...bulkSection(r.bulk));
  if (r.reads) lines.push(...readsSection(r.n, r.reads, settings));
  if (r.reads?.pg) lines.push(...pgReadsSection(r.n, r.reads.pg, r.reads, settings));
  lines.push(findings(r));
  return `${lines.join("\n")}\n`;
}

/** Where the app servers' build came from, and the run's PostgreSQL. */
function buildLines(r: Result) {
  const lines: string[] = [];
  const b = r.build;
  if (b) {
    const dirty = b.uncommitted.length
      ? `, with uncommitted changes in ${b.uncommitted.map((f) => `\`${f}\``).join(", ")}`
      : "";
    lines.push(
      `App servers: the benchmark's build of the app (scripts/bench/build.ts), made at ${b.builtAt} from commit ${b.commit || "?"}${dirty}, served by its scripts/server.mjs with NODE_ENV=production as \`npm start\` serves it; one row through plain \`next start\` of the same build.`,
    );
  }
  const pg = r.postgres;
  if (pg) {
    lines.push(
      `PostgreSQL: ${pg.version}, a throwaway cluster of the run's own (scripts/lib/pg-cluster.ts, initdb's defaults) on the same machine and disk: ${Object.entries(
        pg.settings,
      )
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")}.`,
    );
  }
  return lines;
}

/** What (a) was in this run: runs before the bench build's floor route used the health route. */
function floorText(ingest: IngestResult) {
  if (ingest.summary[0]?.targets.a.label.includes("health")) {
    return "(a) is `GET /api/health`, which skips the proxy as the webhook does and runs one `select 1`, the framework's floor";
  }
  return `(a) is \`POST ${FLOOR_PATH}\`, a route only the benchmark's build of the app adds (scripts/bench/build.ts): it reads the body and answers it back as JSON, the framework's floor for a POST, sent the same bodies and headers as (b); under \`api/webhooks/\`, it skips the proxy as the webhook does`;
}

function ingestSection(ingest: IngestResult) {
  const lines = [
    "## Ingest",
    "",
    `Interleaved ${Object.keys(ingest.summary[0]?.targets ?? {}).join(" ")}, ${ingest.rounds} rounds of ${ingest.seconds} s per target and concurrency (medians shown, and ratios as the median of each round's own ratio; every request a new engagement under a new idempotency key, realistic bodies with refs). (a) and (b) are one app process, scripts/server.mjs as \`npm start\` serves it: ${floorText(ingest)}; (b) is the webhook, which hands each delivery to the writer thread (db/sqlite/ingest/writer.ts): what queued up while it wrote is one transaction with a savepoint per delivery, each answered after the one COMMIT. (bn) is the same webhook through plain \`next start\` of the same build, on a SQLite file of its own: what the custom server costs or saves. ${ingest.summary[0]?.targets.p1 ? "(p1) is the webhook of one app process on the run's PostgreSQL (each delivery its own transaction on the store's pool of 10), (p2) two app processes on one PostgreSQL database, the load generator's connections dealt out between their ports in turn; PostgreSQL CPU is the postmaster's process tree (backends, WAL writer, checkpointer) from /proc. " : ""}(c), (d), (c1), (d1), (e) are bare \`node:http\` processes (scripts/lib/bench-server.ts): (c) and (d) batch the same way on their one thread, (c1) and (d1) commit each request alone. All SQLite targets use the app's pragmas (WAL, synchronous=FULL) except (e).`,
    "",
    "| concurrency | target | req/s | p50 ms | p99 ms | errors | timeouts | non-2xx | peak RSS MB | server CPU ms/request | PostgreSQL CPU ms/request | req/s per round |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const s of ingest.summary) {
    for (const t of Object.values(s.targets)) {
      lines.push(
        `| ${s.concurrency} | ${t.label} | ${t.rps} | ${t.p50} | ${t.p99} | ${t.errors} | ${t.timeouts} | ${t.non2xx} | ${t.rssMb} | ${t.cpuPerRequest} | ${t.pgCpuPerRequest ?? "–"} | ${t.rounds.join(", ")} |`,
      );
    }
  }
  lines.push(
    "",
    "Ratios from req/s, and from server CPU per request (what the req/s ratio would be on idle cores with no disk wait):",
    "",
    "| concurrency | b/a (target ≥ 0.85) | c/d (target ≥ 0.90) | c1/d1, a commit per request | b/a by CPU | c/d by CPU | c1/d1 by CPU |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const s of ingest.summary) {
    lines.push(
      `| ${s.concurrency} | ${s.ratioBA} ${mark(s.ratioBA >= 0.85)} | ${s.ratioCD} ${mark(s.ratioCD >= 0.9)} | ${s.ratioCD1} | ${s.cpuRatioBA} | ${s.cpuRatioCD} | ${s.cpuRatioCD1} |`,
    );
  }
  return [...lines, ...inProcessSection(ingest)];
}

function inProcessSection(ingest: IngestResult) {
  const ip = ingest.inProcess;
  return [
    "",
    `In process, no HTTP (${ip.deliveriesPerRun} deliveries per run, ${ip.offDeliveriesPerRun ?? ip.deliveriesPerRun} without fsync; one unmeasured run of each side, then ${IN_PROCESS_ROUNDS} interleaved rounds, each first in every other; median ms per delivery, wall / CPU; raw/ingest is the median of the rounds' own ratios):`,
    "",
    "| synchronous | ingest() | raw statements | raw/ingest (wall) | raw/ingest (CPU) |",
    "| --- | ---: | ---: | ---: | ---: |",
    `| FULL (the app's), a transaction per delivery | ${ip.FULL.ingestMs} / ${ip.FULL.ingestCpuMs} | ${ip.FULL.rawMs} / ${ip.FULL.rawCpuMs} | ${ip.FULL.ratio} | ${ip.FULL.cpuRatio} |`,
    `| FULL, groups of ${ip.groupSize} (group commit) | ${ip.FULL_GROUP.ingestMs} / ${ip.FULL_GROUP.ingestCpuMs} | ${ip.FULL_GROUP.rawMs} / ${ip.FULL_GROUP.rawCpuMs} | ${ip.FULL_GROUP.ratio} | ${ip.FULL_GROUP.cpuRatio} |`,
    `| OFF (no fsync: the logic alone) | ${ip.OFF.ingestMs} / ${ip.OFF.ingestCpuMs} | ${ip.OFF.rawMs} / ${ip.OFF.rawCpuMs} | ${ip.OFF.ratio} | ${ip.OFF.cpuRatio} |`,
    "",
    ...storedSection(ingest),
  ];
}

type StoredRow = IngestResult["check"][keyof IngestResult["check"]];

/** What each target's store holds after the runs, against what the load generator was answered. */
function storedSection(ingest: IngestResult) {
  const rows = Object.entries(ingest.check) as [string, StoredRow | Record<string, number>][];
  // Runs from before the answers were counted kept the stored counts alone.
  if (!rows.every(([, row]) => row && "answered200" in row)) {
    return [
      `Stored after the runs: ${rows.map(([id, row]) => `(${id}) ${JSON.stringify(row)}`).join(", ")}.`,
      "",
    ];
  }
  return [
    "Stored after the runs, against the requests answered 200 over every load (warm-up included). A load stops by dropping its connections, and a request in flight then is still committed unanswered: applied may exceed answered by up to the connections of each stop, plus timeouts and errors.",
    "",
    "| target | answered 200 | applied | deliveries | engagements | applied − answered | bound | held |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ...rows.map(([id, row]) => {
      const c = row as NonNullable<StoredRow>;
      return `| (${id}) | ${c.answered200} | ${c.applied} | ${c.deliveries} | ${c.engagements} | ${c.applied - c.answered200} | ${c.inFlightAtStops} | ${mark(c.held)} |`;
    }),
    "",
  ];
}

function bulkSection(b: SeedStats) {
  return [
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
  ];
}

function readsSection(n: number, reads: ReadsResult, settings: BenchSettings) {
  const lines = [
    `## Reads at ${n} engagements`,
    "",
    `The app's own functions, called as the engagements page calls them (scripts/lib/app-reads.ts): the URL's params through \`parseFilter\` (lib/filters/), then \`listEngagements\`, \`countEngagements\`, \`countFacets\` and \`countActivity\` (db/sqlite/queries/engagements/). Median of ${READ_SAMPLES} (5 for a call over 200 ms) after a warm-up, with min–max, ms. Page = 50 rows with every reference and owner resolved to a name. Values are the worst case: the busiest owner, contact, company, deal, user. "counters" = answered from \`engagement_counts\` alone. Through the app (scripts/server.mjs, APP_ALLOW_PUBLIC=1), p50 of ${settings.httpSamples} requests per URL taken round-robin over every case, after ${HTTP_WARM_ROUNDS} warm-up rounds the same way: the API's TTFB / full response, and the page's TTFB / first row in the stream / full response (its count, facets and chart stream in after the rows). The 25 ms target is judged on the TTFB.`,
    "",
    "| filter | rows | parse | page (≤ 2; text ≤ 50) | count (≤ 25; text ≤ 50) | facets (≤ 50) | activity chart | API TTFB / full (TTFB ≤ 25) | page TTFB / first row / full (TTFB ≤ 25) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...reads.cases.map((c) =>
      readRow(
        c,
        reads.http.cases.find((x) => x.name === c.name)!,
      ),
    ),
  ];
  return [...lines, ...textAndDeepSection(reads)];
}

type HttpCase = ReadsResult["http"]["cases"][number];
type HttpCell = { median: number; total: number; status: number; firstRow?: number | null };

/** A case's cell through HTTP; the page's adds its first row ("–" for a run from before it was measured). */
function httpCell(x: HttpCell, withRow = false) {
  const status = x.status === 200 ? "" : ` (HTTP ${x.status})`;
  return `${x.median}${withRow ? ` / ${x.firstRow ?? "–"}` : ""} / ${x.total}${status} ${mark(x.status === 200 && x.median <= 25)}`;
}

function readRow(c: ReadsResult["cases"][number], h: HttpCase) {
  const a = c.app;
  return `| ${c.name} | ${c.rows}${c.capped ? "+" : ""} | ${a.parse.median} | ${fmt(a.page)} ${mark(a.page.median <= (c.text ? 50 : 2))} | ${fmt(a.count)}${c.countFromCounters ? " counters" : ""} ${mark(a.count.median <= (c.text ? 50 : 25))} | ${fmt(a.facets)}${c.facetsFromCounters ? " counters" : ""} ${mark(a.facets.median <= 50)} | ${fmt(a.activity)} | ${httpCell(h.api)} | ${httpCell(h.page, true)} |`;
}

function textAndDeepSection(reads: ReadsResult) {
  const text = reads.cases.filter((c) => c.sortAllMatches);
  return [
    "",
    `Full text, the app's page (ms): as shipped (a term with more than ${DEFAULT_TUNING.frequentTerm} matches walks the date index and tests each row) vs with that walk turned off (tuning \`walkFrequentTerms: false\`: all matches sorted by date).`,
    "",
    "| filter | rows | as shipped | sorting all matches |",
    "| --- | ---: | ---: | ---: |",
    ...text.map(
      (c) => `| ${c.name} | ${c.rows} | ${fmt(c.app.page)} | ${fmt(c.sortAllMatches!)} |`,
    ),
    "",
    "Deep pages (ms): page 1 and page 100 through `listEngagements` and its keyset cursor; page 100 by OFFSET is raw SQL (scripts/lib/read-queries.ts), what the page would cost without the cursor.",
    "",
    "| filter | page 1 | page 100, keyset | page 100, OFFSET |",
    "| --- | ---: | ---: | ---: |",
    ...Object.entries(reads.deep).map(
      ([name, d]) =>
        `| ${name} | ${fmt(d.page1)} | ${fmt(d.page100Keyset)} | ${fmt(d.page100Offset)} |`,
    ),
    "",
    `HTTP floor: \`GET /api/health\` TTFB ${reads.http.floor.median} ms. Peak RSS of the reading server: ${reads.rssMb} MB.`,
    "",
    "Query plans of the app's page and count queries (captured from the statements they ran):",
    "",
    ...reads.cases.map(
      (c) =>
        `- ${c.name}: page \`${c.plans.page.join(" | ")}\`; count \`${c.plans.count.join(" | ")}\``,
    ),
    "",
  ];
}
