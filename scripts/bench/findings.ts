/** What the run means against the targets of issue 4: a row per target, and the findings. */
import type { SeedStats } from "../lib/seed";
import { median, round2 } from "./harness";
import type { IngestResult, StoredCheck } from "./ingest";
import type { ReadsResult } from "./reads";

/** What a run measured: each part null when skipped. */
export type RunFigures = {
  ingest: IngestResult | null;
  bulk: SeedStats | null;
  reads: ReadsResult | null;
};

export const mark = (ok: boolean) => (ok ? "✅" : "❌");

/** The PostgreSQL issue's bounds (also used by the report's tables). */
export const PG_INGEST_ONE = 0.6;
export const PG_INGEST_TWO = 0.9;
export const PG_READ_FACTOR = 3;
export const PG_PAGE_MS = 10;
export const PG_FIRST_BYTE_MS = 50;

// ---------------------------------------------------------------- findings
/**
 * Why the misses happen and what would close them, from this run's figures (nothing carried
 * over from earlier runs; mechanisms only where the run shows them).
 */
export function findings(r: RunFigures) {
  const out = ["## What the misses need", ""];
  if (r.ingest) {
    out.push(
      ...ingestFindings(r.ingest),
      ...serverFindings(r.ingest),
      ...pgIngestFindings(r.ingest),
    );
  }
  if (r.reads) out.push(...readFindings(r.reads));
  if (r.reads?.pg) out.push(...pgReadFindings(r.reads));
  if (r.bulk) out.push(...bulkFindings(r.bulk));
  return out.join("\n");
}

/** "(a) body-echo floor route, server.mjs" → "body-echo floor route". */
const floorName = (label: string) => label.replace(/^\(a\) (.*), (next start|server\.mjs)$/, "$1");

function ingestFindings(ingest: IngestResult) {
  const c10 = ingest.summary.find((s) => s.concurrency === 10) ?? ingest.summary[0]!;
  const t = c10.targets;
  const ip = ingest.inProcess;
  const us = (ms: number) => Math.round(ms * 1000);
  const c50 = ingest.summary.find((s) => s.concurrency === 50);
  const baHeld = ingest.summary.every((s) => s.ratioBA >= 0.85);
  // Runs before the body-echo floor measured (a) on the health route, which reads no body.
  const bodyRead = !t.a.label.includes("health");
  const cdHeld = ingest.summary.every((s) => s.ratioCD >= 0.9) && ip.OFF.cpuRatio >= 0.9;
  return [
    `**Ingest b/a${baHeld ? " (held)" : ""}.** The webhook route authenticates, reads the body and hands the delivery to the writer thread, which writes what queued up meanwhile as one transaction (a savepoint per delivery, one COMMIT and fsync for the group) and answers each after it: Next's event loop no longer runs the transaction or waits on the fsync. Server CPU per request at c=${c10.concurrency} in this run: ${floorName(t.a.label)} (a) ${t.a.cpuPerRequest} ms, webhook (b) ${t.b.cpuPerRequest} ms, writer thread included, which runs on the other core; b/a by req/s ${ingest.summary.map((s) => `${s.ratioBA} at c=${s.concurrency}`).join(", ")}.${baHeld ? "" : ` Where it misses, the main thread's share of the webhook ${bodyRead ? "past the body read both do (authentication, header checks, hand-off, the answer)" : "(body read, hand-off, response)"} and the writer thread competing with the load generator for the second core are what is left; req/s per round shows how much the neighbours moved it.`}`,
    "",
    `**Ingest c/d${cdHeld ? " (held)" : ""}.** (c) and (d) commit the same way (groups, as the app's writer does), so c/d compares ingest()'s logic with the raw statements': ${ingest.summary.map((s) => `${s.ratioCD} at c=${s.concurrency} (${s.cpuRatioCD} by CPU)`).join(", ")}; with a transaction per request on both sides (c1/d1) ${ingest.summary.map((s) => `${s.ratioCD1} at c=${s.concurrency}`).join(", ")}. In process with no fsync: ingest() ${ip.OFF.ingestCpuMs} ms CPU per delivery vs ${ip.OFF.rawCpuMs} ms for the raw statements (ratio ${ip.OFF.cpuRatio}); the gap, ${us(ip.OFF.ingestCpuMs - ip.OFF.rawCpuMs)} µs, is what ingest() does that the floor does not: the envelope check, field reading with its warnings, the idempotency and ordering bookkeeping. Through HTTP the ratios follow fsync waits (rounds: c ${t.c.rounds.join(", ")} vs d ${t.d.rounds.join(", ")} req/s), so they swing with the neighbours' disk use.${c50 ? ` At c=50 the webhook answered ${c50.targets.b.timeouts} timeouts and ${c50.targets.b.non2xx} non-2xx.` : ""}`,
    "",
  ];
}

const spread = (xs: number[]) => `${Math.min(...xs)}–${Math.max(...xs)}`;

/** What scripts/server.mjs costs against the plain `next start` it replaced. */
function serverFindings(ingest: IngestResult) {
  const rows = ingest.summary.filter((s) => s.ratioServer !== undefined && s.targets.bn);
  if (rows.length === 0) return [];
  const worst = Math.min(...rows.map((s) => Math.min(s.ratioServer, s.cpuRatioServer)));
  const figures = rows
    .map(
      (s) =>
        `c=${s.concurrency}: ${s.targets.b.rps} vs ${s.targets.bn.rps} req/s (${s.ratioServer}), ${s.targets.b.cpuPerRequest} vs ${s.targets.bn.cpuPerRequest} ms server CPU per request (${s.cpuRatioServer} by CPU)`,
    )
    .join("; ");
  return [
    `**server.mjs against plain next start.** The webhook on SQLite through \`npm start\`'s server (b) and through \`next start\` of the same build (bn), each on its own file: ${figures}. Both serve through the same handler (Next's \`getRequestHandlers\` in next/dist/server/lib/start-server.js, which \`next start\` calls too); what server.mjs adds per request is an entry in its set of open responses and a \`close\` listener, for the bounded drain. ${worst >= 0.95 ? "Its cost is within this run's noise." : `A ratio down to ${worst} is more than that bookkeeping would cost; set it beside the spread of each side's own rounds (${rows.map((s) => `c=${s.concurrency}: (b) ${spread(s.targets.b.rounds)}, (bn) ${spread(s.targets.bn.rounds)} req/s`).join("; ")}).`}`,
    "",
  ];
}

/** PostgreSQL's ingest against SQLite's, and two processes against one: where the time goes. */
function pgIngestFindings(ingest: IngestResult) {
  const withPg = ingest.summary.filter((s) => s.pg && s.targets.p1 && s.targets.p2);
  if (withPg.length === 0) return [];
  const oneHeld = withPg.every((s) => s.pg!.ratioP1B >= PG_INGEST_ONE);
  const twoHeld = withPg.every((s) => s.pg!.ratioP2P1 >= PG_INGEST_TWO);
  const ratios = (pick: (s: (typeof withPg)[number]) => number) =>
    withPg.map((s) => `${pick(s)} at c=${s.concurrency}`).join(", ");
  const cpu = (s: (typeof withPg)[number]) => {
    const { b, p1, p2 } = s.targets;
    return `c=${s.concurrency}: SQLite (b) ${b.rps} req/s at ${b.cpuPerRequest} ms of server CPU per delivery, its writer thread included; one process on PostgreSQL (p1) ${p1!.rps} req/s at ${p1!.cpuPerRequest} ms in the app + ${p1!.pgCpuPerRequest} ms in PostgreSQL; two (p2) ${p2!.rps} req/s at ${p2!.cpuPerRequest} + ${p2!.pgCpuPerRequest} ms`;
  };
  const work = ingest.pgWork;
  const workText = work
    ? ` PostgreSQL's side of a delivery: ${withPg.map((s) => `${s.targets.p1!.pgWalBytesPerRequest} bytes of WAL at c=${s.concurrency}`).join(", ")} (p1); ${(["p1", "p2"] as const).map((id) => `(${id}) ${work.perTarget[id]!.commitsPerRequest} transactions committed and ${work.perTarget[id]!.rollbacksPerRequest} rolled back per delivery, reads included`).join(", ")}; ${work.deliveries} deliveries took ${work.walSyncs} WAL flushes (${work.deliveriesPerWalSync} per flush: ${work.deliveriesPerWalSync >= 1.5 ? "concurrent commits already share their fsync" : "close to an fsync each"}).`
    : "";
  return [
    `**PostgreSQL ingest${oneHeld && twoHeld ? " (held)" : ""}.** One app process on PostgreSQL / SQLite's: ${ratios((s) => s.pg!.ratioP1B)} by req/s (target ${PG_INGEST_ONE}), ${ratios((s) => s.pg!.cpuRatioP1B)} by CPU with PostgreSQL's counted in. Two processes / one: ${ratios((s) => s.pg!.ratioP2P1)} by req/s (target ${PG_INGEST_TWO}), ${ratios((s) => s.pg!.cpuRatioP2P1)} by CPU. ${withPg.map(cpu).join("; ")}.${workText}` +
      (oneHeld
        ? thinByCpu(
            "One process / SQLite's",
            withPg.map((s) => [s.concurrency, s.pg!.cpuRatioP1B]),
            PG_INGEST_ONE,
            pgIngestMiss(withPg[0]!.targets, work),
          )
        : ` ${pgIngestMiss(withPg[0]!.targets, work)}`) +
      (twoHeld
        ? thinByCpu(
            "Two processes / one",
            withPg.map((s) => [s.concurrency, s.pg!.cpuRatioP2P1]),
            PG_INGEST_TWO,
            `Two processes spend more CPU per delivery than one (${withPg.map((s) => `${round2(s.targets.p2!.cpuPerRequest + (s.targets.p2!.pgCpuPerRequest ?? 0))} vs ${round2(s.targets.p1!.cpuPerRequest + (s.targets.p1!.pgCpuPerRequest ?? 0))} ms at c=${s.concurrency}`).join(", ")}): a second event loop, JIT and GC and a second pool of backends on the same 2 cores; on a machine with a core per process the second would add throughput instead.`,
          )
        : ` Two processes / one is under its bound: on these 2 cores, shared with the load generator and PostgreSQL, a second process adds no core, only its own event loop, JIT and GC and a second pool of backends; the CPU ratio says how much of the shortfall is that overhead (below 1: each delivery cost more) and how much is the machine's noise between rounds (near 1).`),
    "",
  ];
}

/** A bound held by req/s that CPU per request says would not hold on idle cores: why, and what would widen it. */
function thinByCpu(what: string, ratios: [number, number][], bound: number, why: string) {
  const under = ratios.filter(([, r]) => r < bound);
  if (under.length === 0) return "";
  return ` ${what} holds by req/s with a thin margin: by CPU per delivery it would not (${under.map(([c, r]) => `${r} at c=${c}`).join(", ")}, bound ${bound}). ${why}`;
}

type Targets = IngestResult["summary"][number]["targets"];

/** What the run shows about a PostgreSQL ingest below its bound, and what would close the gap. */
function pgIngestMiss(t: Targets, work: IngestResult["pgWork"]) {
  const p1 = t.p1!;
  const total = round2(p1.cpuPerRequest + (p1.pgCpuPerRequest ?? 0));
  const appMore = round2(p1.cpuPerRequest - t.b.cpuPerRequest);
  const perFlush = work?.deliveriesPerWalSync ?? 0;
  return (
    `CPU is the limit on 2 cores: a delivery on PostgreSQL costs ${total} ms of CPU in all against SQLite's ${t.b.cpuPerRequest} ms. ` +
    (appMore > 0
      ? `The app's own share alone is ${appMore} ms more than SQLite's whole delivery, writer thread included; not profiled here, the likely part is node-postgres encoding each statement's parameters (the body among them) and decoding each answer on the event loop, work SQLite's writer does on a thread beside it. `
      : "") +
    `What would close it: less work on the app's side per delivery (each statement's parameters and answer cross node-postgres; a new engagement is already one statement), and grouping deliveries that arrive together into one transaction as SQLite's writer does (a savepoint each, one COMMIT), which divides the per-commit work${perFlush < 1.5 ? " and the WAL flushes (close to one per delivery here)" : ""} among them.`
  );
}

function readFindings(reads: ReadsResult) {
  const cases = reads.cases;
  const countMiss = cases.filter((c) => c.app.count.median > (c.text ? 50 : 25));
  const facetMiss = cases.filter((c) => c.app.facets.median > 50);
  const counters = cases.filter((c) => c.countFromCounters);
  const list = (xs: typeof cases, pick: (c: (typeof cases)[number]) => number) =>
    xs.map((c) => `${c.name} ${pick(c)} ms`).join(", ");
  const text = cases.filter((c) => c.sortAllMatches);
  return [
    `**Counts and facets.** ${counters.length} of ${cases.length} filters are answered from \`engagement_counts\` alone (${list(counters, (c) => c.app.count.median)}). ` +
      (countMiss.length || facetMiss.length
        ? `The misses all read rows: count ${list(countMiss, (c) => c.app.count.median) || "none"}; facets ${list(facetMiss, (c) => c.app.facets.median) || "none"}. They are the filters the counters cannot hold (a contact, company, deal or user, a date range, text, or a combination with one): each matching row is visited. Counts past 10,000 matches are already capped ("10,000+") and facets counted among the newest 10,000, which bounds them; what would close the rest: grouping the newest 10,001 rows once per pass instead of counting then walking; covering indexes for the per-person filters, e.g. (owner_id, deleted_at, type, status, direction), making owner counts and facets index-only; the user filter goes through engagement_refs and needs the same on its lookup index.`
        : "Every count and facet is within its target."),
    "",
    `**Full text.** The page picks its plan by the term's number of matches: a rare term sorts its matches, a frequent one walks the date index and tests each row. This run: ${text.map((c) => `${c.name} ${c.app.page.median} ms as shipped, ${c.sortAllMatches!.median} ms sorting all matches`).join("; ")}. A date-ordered FTS rowid would make \`ORDER BY rowid DESC LIMIT 50\` the page for any term.`,
    "",
    ttfbFinding(reads),
    "",
  ];
}

/** The PostgreSQL read cases over their bound, each with its figure and what its plans show. */
function pgReadFindings(reads: ReadsResult) {
  const pg = reads.pg!;
  const ratios = pgReadRatios(reads, pg);
  const inProcess = ratios.filter(
    (r) => r.page > PG_READ_FACTOR || r.summary > PG_READ_FACTOR || r.pgPage > PG_PAGE_MS,
  );
  const firstBytes = ratios.filter(
    (r) => r.firstByte > PG_READ_FACTOR || r.pgFirstByte > PG_FIRST_BYTE_MS,
  );
  const head = `**PostgreSQL reads${inProcess.length + firstBytes.length ? "" : " (held)"}.** `;
  if (inProcess.length + firstBytes.length === 0) {
    return [
      `${head}Every case within ${PG_READ_FACTOR}× SQLite's in process and through the app, every page within ${PG_PAGE_MS} ms and every first byte within ${PG_FIRST_BYTE_MS} ms.`,
      "",
    ];
  }
  const out = [head.trimEnd(), ""];
  if (inProcess.length) {
    out.push(
      `In process, ${inProcess.length} of ${ratios.length} cases miss a bound (what each one's plans show, and what would close it; a read's time beyond its statements' execution, from EXPLAIN ANALYZE after the timings, is its round trips to PostgreSQL and decoding the rows in the app, and on these shared cores each round trip also waits for PostgreSQL's process to be scheduled):`,
      "",
      ...inProcess.map((r) => `- ${pgReadMiss(r, pg.plans[r.name])}`),
      "",
    );
  }
  if (firstBytes.length) out.push(firstByteFinding(ratios, firstBytes, pg, reads), "");
  return out;
}

type PgRatio = ReturnType<typeof pgReadRatios>[number];
type Plans = NonNullable<ReadsResult["pg"]>["plans"][string];

/** One case's in-process misses, and per read what its statements spent and what would help. */
function pgReadMiss(r: PgRatio, plans: Plans | undefined) {
  const misses: string[] = [];
  const pageMissed = r.page > PG_READ_FACTOR || r.pgPage > PG_PAGE_MS;
  if (r.page > PG_READ_FACTOR) misses.push(`page ×${r.page} (${r.pgPage} vs ${r.sqlitePage} ms)`);
  else if (r.pgPage > PG_PAGE_MS) {
    misses.push(`page ${r.pgPage} ms (> ${PG_PAGE_MS}; SQLite ${r.sqlitePage} ms)`);
  }
  if (r.summary > PG_READ_FACTOR) {
    misses.push(`summary ×${r.summary} (${r.pgSummary} vs ${r.sqliteSummary} ms)`);
  }
  const why: string[] = [];
  if (pageMissed) why.push(readEvidence("page", plans, r.pgPage));
  if (r.summary > PG_READ_FACTOR) {
    why.push(readEvidence("summary", plans, r.pgSummary));
    if (r.sqliteCounters) why.push("SQLite answered this summary from engagement_counts alone.");
  }
  return `${r.name}: ${misses.join(", ")}. ${why.filter(Boolean).join(" ")}`;
}

const rangeOf = (xs: number[]) => `${round2(Math.min(...xs))}–${round2(Math.max(...xs))}`;
/** "median m (min–max)" of a case-by-case difference. */
const spreadOf = (xs: number[]) => `median ${round2(median(xs))} (${rangeOf(xs)})`;

/**
 * The first byte through the app, PostgreSQL against SQLite: how much more the API (the page
 * alone) and the page (which starts the summary before its first flush) take, beside the page
 * query's own difference in process.
 */
function firstByteFinding(
  ratios: PgRatio[],
  missed: PgRatio[],
  pg: NonNullable<ReadsResult["pg"]>,
  reads: ReadsResult,
) {
  const api = (name: string, side: "sqlite" | "pg") =>
    (side === "pg" ? pg.http : reads.http).cases.find((c) => c.name === name)!.api.median;
  const pageMore = ratios.map((r) => r.pgPage - r.sqlitePage);
  const apiMore = ratios.map((r) => api(r.name, "pg") - api(r.name, "sqlite"));
  const firstByteMore = ratios.map((r) => r.pgFirstByte - r.sqliteFirstByte);
  const over = missed.filter((r) => r.pgFirstByte > PG_FIRST_BYTE_MS);
  const byRatio = missed.filter((r) => r.firstByte > PG_READ_FACTOR);
  const worst = [...ratios].sort((x, y) => y.firstByte - x.firstByte)[0]!;
  const behind = ratios[firstByteMore.indexOf(Math.max(...firstByteMore))]!;
  const statements = pg.plans[behind.name]?.filter((p) => p.read === "summary").length;
  const furthest = statements
    ? `; the case furthest behind, ${behind.name} (+${round2(behind.pgFirstByte - behind.sqliteFirstByte)} ms), sends ${statements} statements for its summary`
    : "";
  return (
    `Through the app: ${byRatio.length ? `${byRatio.length} first bytes over ${PG_READ_FACTOR}× SQLite's (${byRatio.map((r) => `${r.name} ×${r.firstByte}`).join(", ")})` : `every first byte within ${PG_READ_FACTOR}× SQLite's (worst ${worst.name} ×${worst.firstByte})`}; ${over.length} of ${ratios.length} over ${PG_FIRST_BYTE_MS} ms (${over.length ? rangeOf(over.map((r) => r.pgFirstByte)) : "–"} ms), where SQLite's own first bytes are ${rangeOf(ratios.map((r) => r.sqliteFirstByte))} ms on this machine (its 25 ms target above is missed too). ` +
    `Case by case, PostgreSQL's page query takes ${spreadOf(pageMore)} ms more than SQLite's in process and the API's first byte (the page query alone) ${spreadOf(apiMore)} ms more, about the same; the page's first byte takes ${spreadOf(firstByteMore)} ms more. ` +
    `The difference points at the summary, which the loader starts before the first flush (lib/engagements/load-engagement-list.ts): on PostgreSQL its answers are decoded on the event loop that is rendering the rows (and its statements run in PostgreSQL's processes on the same two cores), where SQLite computes it on a thread of its own (db/sqlite/summary-thread.ts)${furthest}. ` +
    `What would test and close it: start PostgreSQL's summary once the rows have flushed, leaving the first byte the page query's.`
  );
}

/** Rows a scan may produce before it, not round trips, is what a read costs. */
const WIDE_SCAN_ROWS = 5_000;

/** What a read's statements spent, by their plans, and what would close the gap. */
function readEvidence(read: "page" | "summary", plans: Plans | undefined, measuredMs: number) {
  const mine = plans?.filter((p) => p.read === read) ?? [];
  if (mine.length === 0) return "";
  const exec = round2(mine.reduce((a, p) => a + p.executionMs, 0));
  const widestPlan = [...mine]
    .filter((p) => p.widest)
    .sort((x, y) => y.widest!.rows - x.widest!.rows)[0];
  const widest = widestPlan?.widest;
  const label = read === "page" ? "Page" : "Summary";
  const spent = `${label}: ${mine.length} statements executing ${exec} ms${read === "summary" ? " (some side by side)" : ""} of the ${measuredMs} ms measured.`;
  if (!widest || widest.rows < WIDE_SCAN_ROWS) {
    const fewer =
      read === "page"
        ? "The rest is round trips and decoding: the names resolved in the page's own statement (a lateral join on records) would make it one round trip."
        : "The rest is round trips and decoding: the count and the facets from one walk would take statements off it.";
    return `${spent} ${fewer}`;
  }
  return `${spent} Its widest scan: ${widest.node}. ${remedyFor(widestPlan!)}`;
}

/** What the shape of the plan with the widest scan suggests. */
function remedyFor(plan: Plans[number]) {
  const widest = plan.widest!;
  const text = plan.nodes.join("\n");
  const where = widest.table ? ` of ${widest.table}` : "";
  const read = plan.sharedRead
    ? ` It read ${plan.sharedRead} of its ${plan.sharedHit + plan.sharedRead} buffers from outside shared_buffers (128 MB by default, against a database of over a gigabyte at this size).`
    : "";
  if (/^select count\(\*\)/i.test(plan.statement) && /Sort \(top-N/.test(text)) {
    return `The capped count (\`count(*)\` over \`… order by started_at desc, id desc limit\` the cap + 1) fetched every match, ${widest.rows}, and sorted them to keep the newest before counting, instead of walking an index in that order and stopping at the cap as SQLite does.${read} Closing it: drop the ORDER BY from the capped count (any cap + 1 matches count the same), so the LIMIT stops whichever scan PostgreSQL picks; or make the ordered walk of engagement_refs_lookup (role, ref_id, started_at) the cheaper plan, e.g. with what the filter checks on engagements (deleted_at) kept on the reference row.`;
  }
  if (widest.table === "engagements" && /Hash Join/.test(text) && /engagement_refs/.test(text)) {
    return `A record's filter joins its references to every engagement by a hash join over ${widest.rows} rows; a nested loop probing engagements by id for each reference, or the facet columns kept on engagement_refs beside its started_at, would touch only the matches.`;
  }
  if (/^Aggregate/.test(plan.nodes[0] ?? "")) {
    return `It counts and groups all ${widest.rows} rows${where}${/Seq Scan/.test(widest.type) ? " (the whole table)" : ""}; counts kept as rows change (as SQLite's engagement_counts, kept by triggers), or a walk that stops at a sample of the newest (as SQLite's summary does past its counters), would not read every row.`;
  }
  if (/Sort/.test(text)) {
    return `It sorts ${widest.rows} rows${where} to keep the newest; a walk of an index ending in (started_at, id) would stop at the limit.`;
  }
  return `It walks ${widest.rows} rows${where}; an index that leads with the filter and ends with (started_at, id) would stop the walk at its limit.`;
}

function ttfbFinding(reads: ReadsResult) {
  const http = reads.http.cases;
  const data = (name: string) => {
    const a = reads.cases.find((x) => x.name === name)!.app;
    return {
      rows: round2(a.parse.median + a.page.median),
      summary: round2(a.count.median + a.facets.median + a.activity.median),
    };
  };
  const slowFirstByte = http.filter((c) => Math.max(c.api.median, c.page.median) > 25);
  const slowFull = http.filter((c) => c.page.total > 25);
  return (
    `**Page TTFB.** The page sends its rows in the first flush and streams the count, facets and chart in after them (\`summarize\` on a worker thread, db/sqlite/summary-thread.ts), so its first byte waits for the page query and the render of the rows only. The rows cross the RSC payload as data for one client component (a \`ListRow\` each, components/engagements/list-row.ts), not as server element trees: the server renders them once, to HTML, instead of three times (tree, its decoding, HTML). ` +
    (slowFirstByte.length
      ? `First byte over 25 ms: ${slowFirstByte.map((c) => `${c.name} (page ${c.page.median} ms, of which parse and page query ${data(c.name).rows} ms; API ${c.api.median} ms)`).join(", ")}. `
      : `Every first byte is within 25 ms (HTTP floor ${reads.http.floor.median} ms). `) +
    (slowFull.length
      ? `The full response, which ends with the streamed summary, is over 25 ms for ${slowFull.length} of ${http.length}: ${slowFull.map((c) => `${c.name} ${c.page.total} ms (count, facets and chart ${data(c.name).summary} ms as timed in process)`).join(", ")}; it follows the counts and facets above.`
      : "Every full response is within 25 ms too.")
  );
}

function bulkFindings(b: SeedStats) {
  const top = [...b.sizeByObject].sort((x, y) => y.bytes - x.bytes).slice(0, 4);
  return [
    `**Bytes per engagement.** ${Math.round(b.bytesPerEngagement)} bytes at ${b.engagements}${b.bytesPerEngagement > 1200 ? ` (target 1,200)` : ""}; the largest objects: ${top.map((o) => `${o.name} ${Math.round(o.bytes / b.engagements)} B`).join(", ")} per engagement. \`fields\` is stored without the values the typed columns and ref rows give back exactly (db/fields-codec.ts) and read back whole; the delivery log keeps each body as received. The bulk load writes no delivery log; through the webhook each delivery also keeps its raw body.`,
    "",
    `**Bulk load.** ${Math.round(b.rowsPerSecond)} rows/s counts every row written (engagements, ref rows, records), ${Math.round(b.engagementsPerSecond)} engagements/s. Phases (s): ${Object.entries(
      b.phases,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ", ",
      )}. Generating snapshots in a worker thread while the main thread inserts would overlap the two on the second core.`,
    "",
  ];
}

// ---------------------------------------------------------------- targets
type TargetRow = { target: string; measured: string; held: boolean | null };

/** " (missed by …)" when `value` is on the wrong side of `bound`, else nothing. */
function by(value: number, bound: number, higherIsBetter: boolean) {
  const ok = higherIsBetter ? value >= bound : value <= bound;
  if (ok) return "";
  const factor = higherIsBetter ? bound / Math.max(value, 1e-9) : value / bound;
  // "1.0×" would hide a near miss: under double, the margin in percent.
  return factor < 2
    ? ` (missed by ${Math.max(1, Math.round((factor - 1) * 100))} %)`
    : ` (missed by ${factor.toFixed(1)}×)`;
}

/** Each target of issue 4 against this run: held or missed, and by how much. */
export function targetRows(r: RunFigures): TargetRow[] {
  return [
    ...(r.ingest ? ingestTargetRows(r.ingest) : []),
    ...(r.bulk ? bulkTargetRows(r.bulk) : []),
    ...(r.reads ? readTargetRows(r.reads) : []),
  ];
}

function ingestTargetRows(ingest: IngestResult): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const s of ingest.summary) {
    rows.push({
      target: `ingest b/a ≥ 0.85, c=${s.concurrency}`,
      measured: `${s.ratioBA} by req/s${by(s.ratioBA, 0.85, true)}; ${s.cpuRatioBA} by server CPU`,
      held: s.ratioBA >= 0.85,
    });
    rows.push({
      target: `ingest c/d ≥ 0.90, c=${s.concurrency}`,
      measured: `${s.ratioCD} by req/s${by(s.ratioCD, 0.9, true)}; ${s.cpuRatioCD} by server CPU (both with group commit; a commit per request: ${s.ratioCD1} by req/s, ${s.cpuRatioCD1} by CPU)`,
      held: s.ratioCD >= 0.9,
    });
  }
  const ip = ingest.inProcess;
  rows.push({
    target: "ingest c/d ≥ 0.90, in process (no HTTP, no fsync)",
    measured: `${ip.OFF.cpuRatio} by CPU${by(ip.OFF.cpuRatio, 0.9, true)}`,
    held: ip.OFF.cpuRatio >= 0.9,
  });
  const c10 = ingest.summary.find((s) => s.concurrency === 10)?.targets.b;
  if (c10) {
    rows.push({
      target: "webhook p99 ≤ 50 ms at c=10 (server.mjs)",
      measured: `${c10.p99} ms${by(c10.p99, 50, false)}`,
      held: c10.p99 <= 50,
    });
  }
  const c50 = ingest.summary.find((s) => s.concurrency === 50)?.targets.b;
  if (c50) {
    const bad = c50.timeouts + c50.errors + c50.non2xx;
    rows.push({
      target: "no timeouts or 5xx at c=50 (server.mjs)",
      measured: `${c50.timeouts} timeouts, ${c50.errors} errors, ${c50.non2xx} non-2xx`,
      held: bad === 0,
    });
  }
  const rss = Math.max(
    ...ingest.summary.flatMap((s) => Object.values(s.targets).map((t) => t.rssMb)),
  );
  rows.push({ target: "RSS ≤ 400 MB during ingest", measured: `${rss} MB peak`, held: rss <= 400 });
  return [...rows, ...serverAndPgIngestRows(ingest)];
}

/** server.mjs against plain next start (no target: its cost), PostgreSQL's bounds, the stores' counts. */
function serverAndPgIngestRows(ingest: IngestResult): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const s of ingest.summary) {
    if (s.ratioServer === undefined) continue;
    rows.push({
      target: `webhook through server.mjs / plain next start, c=${s.concurrency} (no bound: its cost)`,
      measured: `${s.ratioServer} by req/s; ${s.cpuRatioServer} by server CPU`,
      held: null,
    });
  }
  for (const s of ingest.summary) {
    if (!s.pg) continue;
    rows.push({
      target: `PostgreSQL ingest, one process / SQLite's (p1/b) ≥ ${PG_INGEST_ONE}, c=${s.concurrency}`,
      measured: `${s.pg.ratioP1B} by req/s${by(s.pg.ratioP1B, PG_INGEST_ONE, true)}; ${s.pg.cpuRatioP1B} by server CPU, PostgreSQL's counted in`,
      held: s.pg.ratioP1B >= PG_INGEST_ONE,
    });
    rows.push({
      target: `PostgreSQL ingest, two processes / one (p2/p1) ≥ ${PG_INGEST_TWO}, c=${s.concurrency}`,
      measured: `${s.pg.ratioP2P1} by req/s${by(s.pg.ratioP2P1, PG_INGEST_TWO, true)}; ${s.pg.cpuRatioP2P1} by server CPU`,
      held: s.pg.ratioP2P1 >= PG_INGEST_TWO,
    });
  }
  const pgTargets = ingest.summary.flatMap((s) =>
    [s.targets.p1, s.targets.p2].flatMap((t) => (t ? [{ c: s.concurrency, t }] : [])),
  );
  if (pgTargets.length) {
    const bad = pgTargets.filter(({ t }) => t.errors + t.timeouts + t.non2xx > 0);
    rows.push({
      target: "no errors, timeouts or non-2xx on PostgreSQL (p1, p2)",
      measured: bad.length
        ? bad
            .map(
              ({ c, t }) =>
                `${t.label.slice(0, 4)} c=${c}: ${t.errors} errors, ${t.timeouts} timeouts, ${t.non2xx} non-2xx`,
            )
            .join("; ")
        : "none",
      held: bad.length === 0,
    });
  }
  const checks = Object.entries(ingest.check).filter(
    (entry): entry is [string, NonNullable<StoredCheck>] => !!entry[1] && "held" in entry[1],
  );
  if (checks.length) {
    const off = checks.filter(([, c]) => !c.held);
    rows.push({
      target:
        "stored after: every request answered 200 applied, nothing more but what a stop cut off",
      measured: off.length
        ? off
            .map(
              ([id, c]) =>
                `(${id}) answered ${c.answered200}, applied ${c.applied} (bound ${c.inFlightAtStops}), ${c.engagements} engagements, ${c.deliveries} deliveries`,
            )
            .join("; ")
        : `all ${checks.length} targets: ${checks.map(([id, c]) => `(${id}) +${c.applied - c.answered200}`).join(", ")} applied beyond the answers`,
      held: off.length === 0,
    });
  }
  return rows;
}

function bulkTargetRows(b: SeedStats): TargetRow[] {
  return [
    {
      target: "bulk load ≥ 50k rows/s",
      measured: `${Math.round(b.rowsPerSecond)} rows/s counting every row written (engagements, refs, records); ${Math.round(b.engagementsPerSecond)} engagements/s`,
      held: b.rowsPerSecond >= 50_000,
    },
    {
      target: `≤ 1.2 KB per engagement on disk (at ${b.engagements})`,
      measured: `${Math.round(b.bytesPerEngagement)} bytes${by(b.bytesPerEngagement, 1200, false)}`,
      held: b.bytesPerEngagement <= 1200,
    },
  ];
}

type Case = ReadsResult["cases"][number];

function readTargetRows(reads: ReadsResult): TargetRow[] {
  const plain = reads.cases.filter((c) => !c.text);
  const text = reads.cases.filter((c) => c.text);
  const check = (target: string, cases: Case[], pick: (c: Case) => number, bound: number) => {
    const over = cases.filter((c) => pick(c) > bound);
    const w = [...cases].sort((x, y) => pick(y) - pick(x))[0]!;
    return {
      target,
      measured: over.length
        ? `${over.length} of ${cases.length} over: ${over.map((c) => `${c.name} ${pick(c)} ms${by(pick(c), bound, false)}`).join(", ")}`
        : `all ${cases.length} within; worst ${w.name} ${pick(w)} ms`,
      held: over.length === 0,
    };
  };
  const deep = Object.entries(reads.deep);
  return [
    check("page query ≤ 2 ms, every filter and combination", plain, (c) => c.app.page.median, 2),
    check("full-text page ≤ 50 ms, any term", text, (c) => c.app.page.median, 50),
    check("count ≤ 25 ms", plain, (c) => c.app.count.median, 25),
    check("full-text count ≤ 50 ms", text, (c) => c.app.count.median, 50),
    check("facet counts ≤ 50 ms", reads.cases, (c) => c.app.facets.median, 50),
    ttfbTargetRow(reads),
    {
      target: "deep pages cost the same as the first (keyset)",
      measured: deep
        .map(
          ([n, d]) =>
            `${n}: ${d.page1.median} → ${d.page100Keyset.median} ms (OFFSET ${d.page100Offset.median})`,
        )
        .join("; "),
      held: deep.every(
        ([, d]) => d.page100Keyset.median <= Math.max(2 * d.page1.median, d.page1.median + 0.5),
      ),
    },
    {
      target: "RSS ≤ 400 MB during reads",
      measured: `${reads.rssMb} MB peak`,
      held: reads.rssMb <= 400,
    },
    ...(reads.pg ? pgReadTargetRows(reads, reads.pg) : []),
  ];
}

type PgReads = NonNullable<ReadsResult["pg"]>;

/** Each read case's PostgreSQL / SQLite ratios: in process (page, summary) and through HTTP. */
export function pgReadRatios(reads: ReadsResult, pg: PgReads) {
  return pg.cases.map((c) => {
    const sqliteHttp = reads.http.cases.find((x) => x.name === c.name)!;
    const pgHttp = pg.http.cases.find((x) => x.name === c.name)!;
    return {
      name: c.name,
      page: c.ratio.page,
      summary: c.ratio.summary,
      firstByte: round2(pgHttp.page.median / sqliteHttp.page.median),
      pgPage: c.pg.page.median,
      pgSummary: c.pg.summary.median,
      pgFirstByte: pgHttp.page.median,
      sqlitePage: c.sqlite.page.median,
      sqliteSummary: c.sqlite.summary.median,
      sqliteFirstByte: sqliteHttp.page.median,
      status: pgHttp.page.status,
      /** SQLite's summary came from engagement_counts alone. */
      sqliteCounters: !!reads.cases.find((x) => x.name === c.name)?.facetsFromCounters,
    };
  });
}

function pgReadTargetRows(reads: ReadsResult, pg: PgReads): TargetRow[] {
  const ratios = pgReadRatios(reads, pg);
  type R = (typeof ratios)[number];
  const within = (
    what: string,
    ratio: (r: R) => number,
    pgMs: (r: R) => number,
    sqliteMs: (r: R) => number,
  ): TargetRow => {
    const over = ratios.filter((r) => ratio(r) > PG_READ_FACTOR);
    const worst = [...ratios].sort((x, y) => ratio(y) - ratio(x))[0]!;
    return {
      target: `PostgreSQL ${what} ≤ ${PG_READ_FACTOR}× SQLite's, every case`,
      measured: over.length
        ? `${over.length} of ${ratios.length} over: ${over.map((r) => `${r.name} ×${ratio(r)} (${pgMs(r)} vs ${sqliteMs(r)} ms)`).join(", ")}`
        : `all ${ratios.length} within; worst ${worst.name} ×${ratio(worst)} (${pgMs(worst)} vs ${sqliteMs(worst)} ms)`,
      held: over.length === 0,
    };
  };
  const absolute = (what: string, pick: (r: R) => number, bound: number): TargetRow => {
    const over = ratios.filter((r) => pick(r) > bound);
    const worst = [...ratios].sort((x, y) => pick(y) - pick(x))[0]!;
    return {
      target: `PostgreSQL ${what} ≤ ${bound} ms (orientation), every case`,
      measured: over.length
        ? `${over.length} of ${ratios.length} over: ${over.map((r) => `${r.name} ${pick(r)} ms${by(pick(r), bound, false)}`).join(", ")}`
        : `all ${ratios.length} within; worst ${worst.name} ${pick(worst)} ms`,
      held: over.length === 0,
    };
  };
  const failed = ratios.filter((r) => r.status !== 200);
  const differ = pg.cases.filter((c) => !c.samePage);
  return [
    within(
      "page query",
      (r) => r.page,
      (r) => r.pgPage,
      (r) => r.sqlitePage,
    ),
    within(
      "summary (count + facets + chart)",
      (r) => r.summary,
      (r) => r.pgSummary,
      (r) => r.sqliteSummary,
    ),
    within(
      "page first byte through the app",
      (r) => r.firstByte,
      (r) => r.pgFirstByte,
      (r) => r.sqliteFirstByte,
    ),
    absolute("page query", (r) => r.pgPage, PG_PAGE_MS),
    absolute("page first byte", (r) => r.pgFirstByte, PG_FIRST_BYTE_MS),
    {
      target: "PostgreSQL answers every page 200, with SQLite's first page",
      measured:
        failed.length || differ.length
          ? [
              ...failed.map((r) => `${r.name} HTTP ${r.status}`),
              ...differ.map((c) => `${c.name}: another first page`),
            ].join(", ")
          : `all ${ratios.length}`,
      held: failed.length === 0 && differ.length === 0,
    },
    {
      target: `db:copy of the ${pg.load.copy.tables.find((t) => t.table === "engagements")?.rows ?? "?"} engagements into PostgreSQL (no bound)`,
      measured: `${pg.load.copy.seconds} s, then VACUUM (ANALYZE) ${pg.load.vacuumSeconds} s`,
      held: null,
    },
  ];
}

function ttfbTargetRow(reads: ReadsResult): TargetRow {
  const served = reads.http.cases.filter((c) => c.api.status === 200 && c.page.status === 200);
  const failed = reads.http.cases.filter((c) => c.api.status !== 200 || c.page.status !== 200);
  // The page streams: its first flush carries the rows, the count, facets and chart follow.
  // Judged on the first byte of the page and of the API (which does not stream); the page's
  // first row and full response are reported beside it, not judged.
  const slowest = (c: (typeof served)[number]) => Math.max(c.api.median, c.page.median);
  const slow = served.filter((c) => slowest(c) > 25);
  const worst = [...served].sort((x, y) => slowest(y) - slowest(x))[0];
  const fullest = [...served].sort((x, y) => y.page.total - x.page.total)[0];
  return {
    target:
      "page TTFB p50 ≤ 25 ms, every filter (judged on the first byte of the page and of the API; the page's first row and full response reported, not judged)",
    measured:
      (failed.length
        ? `${failed.length} answered non-200: ${failed.map((c) => `${c.name} API ${c.api.status} / page ${c.page.status}`).join(", ")}; `
        : "") +
      (slow.length
        ? `${slow.length} of ${served.length} over: ${slow.map((c) => `${c.name} API ${c.api.median} / page ${c.page.median} ms${by(slowest(c), 25, false)}`).join(", ")}`
        : `all ${served.length} within${worst ? `; worst ${worst.name} API ${worst.api.median} / page ${worst.page.median} ms` : ""}`) +
      (fullest
        ? `; full page response up to ${fullest.page.total} ms (${fullest.name}), ${served.filter((c) => c.page.total > 25).length} of ${served.length} over 25 ms`
        : ""),
    held: failed.length === 0 && slow.length === 0,
  };
}
