/**
 * `npx tsx scripts/bench-counts.ts --db FILE`: the app's own reads against a bulk-loaded
 * database (`npm run seed:bulk`), for the benchmark's filters, one line per filter, median of
 * 20 after a warm-up (min–max beside it): the page (`listEngagements`, 50 rows resolved),
 * `countEngagements`, `facetCounts`, `activityPerDay`, and `summarize` (what the engagements
 * page reads beside its list, anchored as the page anchors it). Compare a change of the read
 * path before and after on the same file (a copy: migrations run on it).
 */
import { parseArgs } from "node:util";
import { openDatabase } from "@/db/client";
import {
  activityPerDay,
  countEngagements,
  facetCounts,
  listEngagements,
  summarize,
} from "@/db/queries/engagements";
import { parseFilter } from "@/lib/filters";
import { FREQUENT_TERM, RARE_TERM } from "./lib/world";

const { values: args } = parseArgs({
  options: {
    db: { type: "string" },
    samples: { type: "string", default: "20" },
    only: { type: "string" },
  },
});
if (!args.db) {
  console.error("Usage: npx tsx scripts/bench-counts.ts --db FILE [--samples 20] [--only TEXT]");
  process.exit(1);
}
const samples = Number(args.samples);
const db = openDatabase(args.db);
const sqlite = db.$client;
const top = (sql: string) => (sqlite.prepare(sql).get() as { v: string }).v;
// The busiest rep, contact, company, deal and user: the worst case for a count.
const owner = top(
  "SELECT owner_id AS v FROM engagements GROUP BY owner_id ORDER BY count(*) DESC LIMIT 1",
);
const topRef = (role: string) =>
  top(
    `SELECT ref_id AS v FROM engagement_refs WHERE role = '${role}' GROUP BY ref_id ORDER BY count(*) DESC LIMIT 1`,
  );
const [contact, company, opportunity, user] = ["contact", "company", "opportunity", "user"].map(
  topRef,
);
const now = Date.now();
const day = (offset: number) => new Date(now - offset * 86_400_000).toISOString().slice(0, 10);

// The benchmark's cases (scripts/bench.ts, `readCases`).
const cases: [string, Record<string, string | string[]>][] = [
  ["no filter", {}],
  ["owner", { owner }],
  ["contact", { contact }],
  ["company", { company }],
  ["opportunity", { opportunity }],
  ["user", { user }],
  ["type=meeting", { type: "meeting" }],
  ["direction=inbound", { direction: "inbound" }],
  ["status=planned", { status: "planned" }],
  ["date range (2 weeks, a year ago)", { from: day(380), to: day(366) }],
  [`text, rare ("${RARE_TERM}")`, { q: RARE_TERM }],
  [`text, frequent ("${FREQUENT_TERM}")`, { q: FREQUENT_TERM }],
  ["connection (the smaller one)", { connection: "salesforce:globex-eu" }],
  ["deleted=only", { deleted: "only" }],
  ["owner + calls + last quarter", { owner, type: "call", from: day(90) }],
  [
    "company + meetings + completed, deleted included",
    { company, type: "meeting", status: "completed", deleted: "include" },
  ],
  [
    `text "pricing" + emails + one connection`,
    { q: "pricing", type: "email", connection: "hubspot:acme-prod" },
  ],
];

function time(fn: () => unknown) {
  fn();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const m = Math.floor(times.length / 2);
  const median = times.length % 2 ? times[m]! : (times[m - 1]! + times[m]!) / 2;
  const f = (x: number) => x.toFixed(2);
  return `${f(median)} (${f(times[0]!)}–${f(times.at(-1)!)})`;
}

console.log(
  `| filter | count | page ms | count ms | facets ms | chart ms | summarize ms |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |`,
);
for (const [name, params] of cases) {
  if (args.only && !name.includes(args.only)) continue;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, v);
  }
  const filter = parseFilter(search);
  const { count, capped } = countEngagements(db, filter);
  // The chart's anchor as the page sets it: the newest row on screen.
  const first = listEngagements(db, filter).data[0];
  const anchor = first ? Date.parse(first.startedAt) : now;
  console.log(
    `| ${name} | ${count}${capped ? "+" : ""} | ${time(() => listEngagements(db, filter))} | ${time(() => countEngagements(db, filter))} | ${time(() => facetCounts(db, filter))} | ${time(() => activityPerDay(db, filter, anchor))} | ${time(() => summarize(db, filter, anchor))} |`,
  );
}
sqlite.close();
