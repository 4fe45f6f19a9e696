/** The report's PostgreSQL sections: ingest beside SQLite's, the copy, the reads and their plans. */
import {
  mark,
  PG_FIRST_BYTE_MS,
  PG_INGEST_ONE,
  PG_INGEST_TWO,
  PG_PAGE_MS,
  PG_READ_FACTOR,
} from "./findings";
import type { Timing } from "./harness";
import type { IngestResult } from "./ingest";
import type { PlanSummary } from "./pg-reads";
import type { ReadsResult } from "./reads";
import { HTTP_WARM_ROUNDS, type BenchSettings } from "./settings";

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

/** The custom server against plain `next start`, and PostgreSQL's ingest against SQLite's. */
export function pgIngestSection(ingest: IngestResult) {
  const withPg = ingest.summary.some((s) => s.pg);
  const lines = [
    "",
    `The app's own server and engines, paired round by round (median of the rounds' own ratios). By CPU: the other side's server CPU per request over this one's, what the req/s ratio would be on idle cores${withPg ? "; for PostgreSQL the app's CPU and the PostgreSQL server's together, since SQLite's storage work runs inside the app's process (its writer thread)" : ""}.`,
    "",
    `| concurrency | server.mjs / next start (b/bn) | by CPU |${withPg ? ` PostgreSQL / SQLite (p1/b, target ≥ ${PG_INGEST_ONE}) | by CPU | two processes / one (p2/p1, target ≥ ${PG_INGEST_TWO}) | by CPU |` : ""}`,
    `| --- | ---: | ---: |${withPg ? " ---: | ---: | ---: | ---: |" : ""}`,
  ];
  for (const s of ingest.summary) {
    if (s.ratioServer === undefined) continue;
    const pg = s.pg
      ? ` ${s.pg.ratioP1B} ${mark(s.pg.ratioP1B >= PG_INGEST_ONE)} | ${s.pg.cpuRatioP1B} | ${s.pg.ratioP2P1} ${mark(s.pg.ratioP2P1 >= PG_INGEST_TWO)} | ${s.pg.cpuRatioP2P1} |`
      : withPg
        ? " – | – | – | – |"
        : "";
    lines.push(`| ${s.concurrency} | ${s.ratioServer} | ${s.cpuRatioServer} |${pg}`);
  }
  return [...lines, ""];
}

type PgReads = NonNullable<ReadsResult["pg"]>;

const ms = (t: Timing) => `${t.median}`;
const ratioCell = (x: number) => `×${x} ${mark(x <= PG_READ_FACTOR)}`;

/** Each case's TTFB ratio through the app, PostgreSQL over SQLite, by case name. */
export function httpRatios(reads: ReadsResult, pg: PgReads) {
  return new Map(
    pg.http.cases.map((h) => {
      const s = reads.http.cases.find((x) => x.name === h.name)!;
      const r = (a: number, b: number) => Math.round((a / b) * 100) / 100;
      return [
        h.name,
        {
          page: r(h.page.median, s.page.median),
          api: r(h.api.median, s.api.median),
          sqlite: s,
          pg: h,
        },
      ];
    }),
  );
}

export function pgReadsSection(
  n: number,
  pg: PgReads,
  reads: ReadsResult,
  settings: BenchSettings,
) {
  const l = pg.load;
  const engagements = l.copy.tables.find((t) => t.table === "engagements")?.rows ?? n;
  const rows = l.copy.tables.reduce((a, t) => a + t.rows, 0);
  const http = httpRatios(reads, pg);
  const lines = [
    `## Reads at ${n} engagements on PostgreSQL, beside SQLite`,
    "",
    `The bulk load's SQLite file copied into the run's PostgreSQL with db:copy's library (scripts/lib/db-copy/: keyset batches, indexes built once at the end, one transaction, then ANALYZE): **${l.copy.seconds} s** for ${rows} rows (${Math.round(rows / l.copy.seconds)} rows/s, ${Math.round(engagements / l.copy.seconds)} engagements/s); ${l.copy.tables.map((t) => `${t.table} ${t.rows} rows in ${t.seconds} s`).join(", ")}. Then \`VACUUM (ANALYZE)\`, ${l.vacuumSeconds} s: as autovacuum would leave the tables (visibility map for index-only scans, the GIN index's pending list merged), so it does not run while the reads are timed. On disk: ${mb(l.bytes)} MB, ${Math.round(l.bytes / engagements)} bytes per engagement (SQLite's figure is in the bulk load above); largest: ${l.sizeByObject
      .slice(0, 8)
      .map((o) => `${o.name} ${mb(o.bytes)} MB`)
      .join(", ")}.`,
    "",
    `In process, each case through PostgreSQL's Store (db/pg/store.ts: \`listEngagements\`, then \`summarizeEngagements\`, the count, facets and chart the page streams in) and through SQLite's functions (scripts/lib/app-reads.ts: \`listEngagements\`, \`summarize\`), the two called in turn, call by call, median of up to 20 after a warm-up (5 when a call takes over 200 ms); SQLite's figures here are from these alternating calls, not the table above. Through HTTP, both app servers (scripts/server.mjs) ran at once and every URL of both was taken in one round-robin, p50 of ${settings.httpSamples} after ${HTTP_WARM_ROUNDS} warm-up rounds. Ratios are PostgreSQL / SQLite; target ≤ ${PG_READ_FACTOR}× for every figure, and for orientation a PostgreSQL page ≤ ${PG_PAGE_MS} ms and first byte ≤ ${PG_FIRST_BYTE_MS} ms. "same page" = the first page's ids are the same on both.`,
    "",
    `| filter | rows (PostgreSQL's count) | same page | page ms SQLite / PostgreSQL | page ratio | summary ms SQLite / PostgreSQL | summary ratio | page TTFB ms SQLite / PostgreSQL | TTFB ratio | API TTFB ms SQLite / PostgreSQL | PostgreSQL page full response ms |`,
    "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...pg.cases.map((c) => {
      const h = http.get(c.name);
      const status = h && h.pg.page.status !== 200 ? ` (HTTP ${h.pg.page.status})` : "";
      return `| ${c.name} | ${c.count.pg} | ${c.samePage ? "yes" : "**no**"} | ${ms(c.sqlite.page)} / ${ms(c.pg.page)} ${mark(c.pg.page.median <= PG_PAGE_MS)} | ${ratioCell(c.ratio.page)} | ${ms(c.sqlite.summary)} / ${ms(c.pg.summary)} | ${ratioCell(c.ratio.summary)} | ${h ? `${h.sqlite.page.median} / ${h.pg.page.median}${status} ${mark(h.pg.page.median <= PG_FIRST_BYTE_MS)}` : "–"} | ${h ? ratioCell(h.page) : "–"} | ${h ? `${h.sqlite.api.median} / ${h.pg.api.median} (×${h.api})` : "–"} | ${h ? h.pg.page.total : "–"} |`;
    }),
    "",
    `HTTP floor on PostgreSQL's server: \`GET /api/health\` TTFB ${pg.http.floor.median} ms (SQLite's ${reads.http.floor.median} ms). Peak RSS of the reading servers: SQLite ${reads.rssMb} MB, PostgreSQL ${pg.rssMb} MB (the app's process; PostgreSQL's own are apart).`,
    "",
    ...plansSection(pg.plans, pg.shownPlans ?? Object.keys(pg.plans)),
  ];
  return lines;
}

function planLines(p: PlanSummary) {
  return [
    `- ${p.read}: ${p.executionMs} ms (planning ${p.planningMs} ms), buffers hit ${p.sharedHit} / read ${p.sharedRead}: \`${p.statement.slice(0, 160)}${p.statement.length > 160 ? "…" : ""}\``,
    "",
    "  ```",
    ...p.nodes.map((node) => `  ${node}`),
    "  ```",
    "",
  ];
}

function plansSection(plans: Record<string, PlanSummary[]>, shown: string[]) {
  const names = shown.filter((name) => plans[name]);
  if (names.length === 0) return [];
  return [
    `### Plans of the ${names.length} slowest cases on PostgreSQL`,
    "",
    `\`EXPLAIN (ANALYZE, BUFFERS)\` of every statement the page and the summary sent, with the values they were sent with, after the timings (so warm): each node with its index and table, rows × loops and time; buffers are 8 kB pages found in shared_buffers (hit) or read from the OS. Every case that missed a bound in process was explained too: docs/benchmarks.json has their plans (\`reads.pg.plans\`).`,
    "",
    ...names.flatMap((name) => [`**${name}**`, "", ...plans[name]!.flatMap(planLines)]),
  ];
}
