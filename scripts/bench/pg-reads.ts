/**
 * The reads on PostgreSQL beside SQLite's: the bulk load's SQLite file copied in with the db:copy
 * library, vacuumed and analyzed, then every read case through PostgreSQL's Store, timed in turn
 * with the same case on SQLite, and the plans of the slowest.
 */
import type pg from "pg";
import { createPgStore } from "@/db/pg/store";
import type { EngagementFilter } from "@/lib/filters";
import { chartAnchor, storeReads, type AppReads, type StoreReads } from "../lib/app-reads";
import { copySqliteToPg, type CopySummary } from "../lib/db-copy/copy";
import { toSearchParams, type ReadCase } from "../lib/read-queries";
import { log, round2, timeAlternating, type Timing } from "./harness";
import { onPg, type BenchPg } from "./pg";

export type PgLoad = {
  url: string;
  /** db:copy's own figures: per table, and the whole copy (its ANALYZE included). */
  copy: CopySummary;
  /** VACUUM (ANALYZE) afterwards, as autovacuum would leave the tables. */
  vacuumSeconds: number;
  bytes: number;
  sizeByObject: { name: string; bytes: number }[];
};

const secondsSince = (start: number) => Math.round(performance.now() - start) / 1000;

/**
 * The SQLite file's data in a new PostgreSQL database. VACUUM sets the visibility map that
 * index-only scans need and merges the GIN pending list; without it autovacuum would do so
 * while the reads are timed.
 */
export async function loadIntoPg(bench: BenchPg, file: string): Promise<PgLoad> {
  const url = await bench.createDatabase("reads");
  log(`PostgreSQL reads: copying ${file} in with db:copy's library`);
  const copy = await copySqliteToPg({
    from: file,
    to: url,
    onProgress: ({ table, copied, total, seconds }) => {
      if (copied === total) log(`  ${table}: ${copied} rows in ${seconds} s`);
    },
  });
  log(`  copied in ${copy.seconds} s; VACUUM (ANALYZE)`);
  const started = performance.now();
  const sizes = await onPg(url, async (client) => {
    await client.query("VACUUM (ANALYZE)");
    return objectSizes(client);
  });
  const vacuumSeconds = secondsSince(started);
  log(`  vacuumed and analyzed in ${vacuumSeconds} s`);
  return { url, copy, vacuumSeconds, ...sizes };
}

async function objectSizes(client: pg.Client) {
  const { rows } = await client.query<{ name: string; bytes: number }>(
    `select c.relname as name, pg_relation_size(c.oid)::float8 as bytes from pg_class c
      where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'i', 't')
      order by 2 desc`,
  );
  const { rows: total } = await client.query<{ bytes: number }>(
    "select pg_database_size(current_database())::float8 as bytes",
  );
  return { bytes: total[0]!.bytes, sizeByObject: rows.filter((row) => row.bytes > 0) };
}

// ---------------------------------------------------------------- plans
/** One node of EXPLAIN (FORMAT JSON)'s tree, the fields read here. */
type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  Alias?: string;
  "Index Name"?: string;
  "Actual Total Time"?: number;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  "Sort Method"?: string;
  /** An Aggregate's: Plain, Sorted or Hashed. */
  Strategy?: string;
  Plans?: PlanNode[];
};

/** A statement's EXPLAIN (ANALYZE, BUFFERS), summed up: time, buffers, and what it walked. */
export type PlanSummary = {
  /** The read that sent it: the page or the summary (count, facets, chart). */
  read: "page" | "summary";
  statement: string;
  executionMs: number;
  planningMs: number;
  sharedHit: number;
  sharedRead: number;
  /** Each node, indented by depth: its type, index and table, rows × loops and time. */
  nodes: string[];
  /** The scan that produced the most rows (rows × loops): where the statement's work went. */
  widest: { node: string; type: string; table: string | null; rows: number } | null;
};

function describeNode(node: PlanNode) {
  const on = node["Relation Name"]
    ? ` on ${node["Relation Name"]}${node.Alias && node.Alias !== node["Relation Name"] ? ` ${node.Alias}` : ""}`
    : "";
  const using = node["Index Name"] ? ` using ${node["Index Name"]}` : "";
  const how = node["Sort Method"] ?? (node.Strategy === "Plain" ? undefined : node.Strategy);
  const sort = how ? ` (${how})` : "";
  const loops = node["Actual Loops"] ?? 1;
  const rows = `${node["Actual Rows"] ?? 0} rows${loops > 1 ? ` × ${loops} loops` : ""}`;
  return `${node["Node Type"]}${using}${on}${sort}: ${rows}, ${round2(node["Actual Total Time"] ?? 0)} ms`;
}

function allNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(allNodes)];
}

function widestScan(top: PlanNode): PlanSummary["widest"] {
  const scans = allNodes(top).filter((n) => n["Node Type"].includes("Scan"));
  const rows = (n: PlanNode) => (n["Actual Rows"] ?? 0) * (n["Actual Loops"] ?? 1);
  const widest = scans.sort((x, y) => rows(y) - rows(x))[0];
  if (!widest) return null;
  return {
    node: describeNode(widest),
    type: widest["Node Type"],
    table: widest["Relation Name"] ?? null,
    rows: rows(widest),
  };
}

function flatten(node: PlanNode, depth = 0): string[] {
  const line = `${"  ".repeat(depth)}${describeNode(node)}`;
  return [line, ...(node.Plans ?? []).flatMap((child) => flatten(child, depth + 1))];
}

/** The summary of one EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) answer. */
export function summarizePlan(
  read: PlanSummary["read"],
  statement: string,
  explained: { Plan: PlanNode; "Execution Time": number; "Planning Time": number },
): PlanSummary {
  const top = explained.Plan;
  return {
    read,
    statement: statement.replace(/\s+/g, " ").trim(),
    executionMs: round2(explained["Execution Time"]),
    planningMs: round2(explained["Planning Time"]),
    sharedHit: top["Shared Hit Blocks"] ?? 0,
    sharedRead: top["Shared Read Blocks"] ?? 0,
    nodes: flatten(top),
    widest: widestScan(top),
  };
}

type Sent = { text: string; values: unknown[] };

/** The statements `run` sends through `pool`, with their values (Drizzle queries the pool). */
export async function statementsOf(pool: pg.Pool, run: () => Promise<unknown>): Promise<Sent[]> {
  const original = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  const seen: Sent[] = [];
  const capture = (config: unknown, values?: unknown) => {
    const text = typeof config === "string" ? config : (config as { text: string }).text;
    const bound = typeof config === "string" ? values : (config as { values?: unknown }).values;
    seen.push({ text, values: (bound ?? values ?? []) as unknown[] });
    return original(config, values);
  };
  (pool as unknown as { query: typeof capture }).query = capture;
  try {
    await run();
  } finally {
    (pool as unknown as { query: typeof original }).query = original;
  }
  return seen;
}

/** EXPLAIN (ANALYZE, BUFFERS) of every statement a read sends, in the order sent. */
export async function explainRead(
  pool: pg.Pool,
  read: PlanSummary["read"],
  run: () => Promise<unknown>,
): Promise<PlanSummary[]> {
  const out: PlanSummary[] = [];
  for (const { text, values } of await statementsOf(pool, run)) {
    const { rows } = await pool.query<{ "QUERY PLAN": unknown }>(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`,
      values,
    );
    const [explained] = rows[0]!["QUERY PLAN"] as Parameters<typeof summarizePlan>[2][];
    out.push(summarizePlan(read, text, explained!));
  }
  return out;
}

// ---------------------------------------------------------------- timings
export type PgReadCase = {
  name: string;
  /** Timed in turn with PostgreSQL's, call by call: the ratio compares the same moments. */
  sqlite: { page: Timing; summary: Timing };
  pg: { page: Timing; summary: Timing };
  ratio: { page: number; summary: number };
  /** Each engine's count: exact where its counters hold the filter, else stopped at the cap. */
  count: { sqlite: number; sqliteCapped: boolean; pg: number };
  /** Both engines gave the same rows, in the same order, on the first page. */
  samePage: boolean;
};

async function benchPgCase(
  app: AppReads,
  reads: StoreReads,
  c: ReadCase,
  now: number,
): Promise<PgReadCase> {
  const filter = app.parse(toSearchParams(c.filter));
  const sqlitePage = app.page(filter);
  const pgPage = await reads.page(filter);
  const anchor = chartAnchor(filter, sqlitePage, now);
  const [sqliteSummary, pgSummary] = [
    app.summary(filter, anchor),
    await reads.summary(filter, anchor),
  ];
  const page = await timeAlternating({
    sqlite: () => app.page(filter),
    pg: () => reads.page(filter),
  });
  const summary = await timeAlternating({
    sqlite: () => app.summary(filter, anchor),
    pg: () => reads.summary(filter, anchor),
  });
  const ratio = {
    page: round2(page.pg.median / page.sqlite.median),
    summary: round2(summary.pg.median / summary.sqlite.median),
  };
  log(
    `  ${c.name}: page ${page.pg.median} ms vs SQLite ${page.sqlite.median} ms (×${ratio.page}), summary ${summary.pg.median} ms vs ${summary.sqlite.median} ms (×${ratio.summary}); ${pgSummary.count.count} rows`,
  );
  return {
    name: c.name,
    sqlite: { page: page.sqlite, summary: summary.sqlite },
    pg: { page: page.pg, summary: summary.pg },
    ratio,
    count: {
      sqlite: sqliteSummary.count.count,
      sqliteCapped: sqliteSummary.count.capped,
      pg: pgSummary.count.count,
    },
    samePage:
      JSON.stringify(pgPage.data.map((row) => row.id)) ===
      JSON.stringify(sqlitePage.data.map((row) => row.id)),
  };
}

/** How many of the slowest cases get their plans in the report. */
const SHOWN_PLANS = 4;

/** The slowest cases on PostgreSQL, by their page or summary, whichever is slower. */
function slowest(cases: PgReadCase[]) {
  const cost = (c: PgReadCase) => Math.max(c.pg.page.median, c.pg.summary.median);
  return [...cases].sort((x, y) => cost(y) - cost(x)).slice(0, SHOWN_PLANS);
}

/** The cases whose plans the findings need: every in-process miss (the report shows the slowest). */
function toExplain(cases: PgReadCase[], bounds: { factor: number; pageMs: number }) {
  const missed = cases.filter(
    (c) =>
      c.ratio.page > bounds.factor ||
      c.ratio.summary > bounds.factor ||
      c.pg.page.median > bounds.pageMs,
  );
  return [...new Set([...slowest(cases), ...missed])];
}

/**
 * Every case on PostgreSQL's Store and on SQLite's functions in turn, then the plans of the
 * slowest and of those over `bounds`.
 */
export async function benchPgReads(
  app: AppReads,
  load: PgLoad,
  cases: ReadCase[],
  now: number,
  bounds: { factor: number; pageMs: number },
) {
  const store = createPgStore({ url: load.url });
  const pool = (await store.ready()).$client;
  const reads = storeReads(store);
  try {
    log(`PostgreSQL reads: ${cases.length} cases through the Store, each in turn with SQLite's`);
    const filters = cases.map((c): EngagementFilter => app.parse(toSearchParams(c.filter)));
    // As for SQLite: every case a few times before any is timed.
    for (let round = 0; round < 3; round++) {
      for (const filter of filters) {
        const page = await reads.page(filter);
        await reads.summary(filter, chartAnchor(filter, page, now));
      }
    }
    const results: PgReadCase[] = [];
    for (const c of cases) results.push(await benchPgCase(app, reads, c, now));
    const plans: Record<string, PlanSummary[]> = {};
    for (const c of toExplain(results, bounds)) {
      const filter = filters[cases.findIndex((x) => x.name === c.name)]!;
      const page = await reads.page(filter);
      const anchor = chartAnchor(filter, page, now);
      plans[c.name] = [
        ...(await explainRead(pool, "page", () => reads.page(filter))),
        ...(await explainRead(pool, "summary", () => reads.summary(filter, anchor))),
      ];
      log(
        `  plans of ${c.name}: ${plans[c.name]!.map((p) => `${p.read} ${p.executionMs} ms`).join(", ")}`,
      );
    }
    return { cases: results, plans, shownPlans: slowest(results).map((c) => c.name) };
  } finally {
    await store.close();
  }
}

export type PgReadsResult = Awaited<ReturnType<typeof benchPgReads>>;
