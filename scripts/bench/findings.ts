/** What the run means against the targets of issue 4: a row per target, and the findings. */
import type { SeedStats } from "../lib/seed";
import { round2 } from "./harness";
import type { IngestResult } from "./ingest";
import type { ReadsResult } from "./reads";

/** What a run measured: each part null when skipped. */
export type RunFigures = {
  ingest: IngestResult | null;
  bulk: SeedStats | null;
  reads: ReadsResult | null;
};

export const mark = (ok: boolean) => (ok ? "✅" : "❌");

// ---------------------------------------------------------------- findings
/**
 * Why the misses happen and what would close them, from this run's figures (nothing carried
 * over from earlier runs; mechanisms only where the run shows them).
 */
export function findings(r: RunFigures) {
  const out = ["## What the misses need", ""];
  if (r.ingest) out.push(...ingestFindings(r.ingest));
  if (r.reads) out.push(...readFindings(r.reads));
  if (r.bulk) out.push(...bulkFindings(r.bulk));
  return out.join("\n");
}

/** "(a) body-echo floor route, next start" → "body-echo floor route". */
const floorName = (label: string) => label.replace(/^\(a\) (.*), next start$/, "$1");

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
      target: "webhook p99 ≤ 50 ms at c=10 (next start)",
      measured: `${c10.p99} ms${by(c10.p99, 50, false)}`,
      held: c10.p99 <= 50,
    });
  }
  const c50 = ingest.summary.find((s) => s.concurrency === 50)?.targets.b;
  if (c50) {
    const bad = c50.timeouts + c50.errors + c50.non2xx;
    rows.push({
      target: "no timeouts or 5xx at c=50 (next start)",
      measured: `${c50.timeouts} timeouts, ${c50.errors} errors, ${c50.non2xx} non-2xx`,
      held: bad === 0,
    });
  }
  const rss = Math.max(
    ...ingest.summary.flatMap((s) => Object.values(s.targets).map((t) => t.rssMb)),
  );
  rows.push({ target: "RSS ≤ 400 MB during ingest", measured: `${rss} MB peak`, held: rss <= 400 });
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
