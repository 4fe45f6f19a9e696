/**
 * `npx tsx scripts/bench-counts.ts --db FILE`: the app's own `countEngagements`, `facetCounts`
 * and `activityPerDay`, and `summarize` (all three as the page reads them, one walk) against a bulk-loaded database (`npm run seed:bulk`), one line per filter,
 * median of 20 after a warm-up (min–max beside it), so a change to the count path can be
 * compared before and after on the same file.
 */
import { parseArgs } from "node:util";
import { openDatabase } from "@/db/client";
import { activityPerDay, countEngagements, facetCounts, summarize } from "@/db/queries/engagements";
import { parseFilter } from "@/lib/filters";
import { FREQUENT_TERM, RARE_TERM } from "./lib/world";

const { values: args } = parseArgs({
  options: {
    db: { type: "string" },
    samples: { type: "string", default: "20" },
  },
});
if (!args.db) {
  console.error("Usage: npx tsx scripts/bench-counts.ts --db FILE [--samples 20]");
  process.exit(1);
}
const samples = Number(args.samples);
const db = openDatabase(args.db);
const sqlite = db.$client;
const top = (sql: string) => (sqlite.prepare(sql).get() as { v: string }).v;
// The busiest rep and user: the worst case for a count.
const owner = top(
  "SELECT owner_id AS v FROM engagements GROUP BY owner_id ORDER BY count(*) DESC LIMIT 1",
);
const user = top(
  "SELECT ref_id AS v FROM engagement_refs WHERE role = 'user' GROUP BY ref_id ORDER BY count(*) DESC LIMIT 1",
);
const contact = top(
  "SELECT ref_id AS v FROM engagement_refs WHERE role = 'contact' GROUP BY ref_id ORDER BY count(*) DESC LIMIT 1",
);
const newest = (
  sqlite.prepare("SELECT max(started_at) AS v FROM engagements").get() as { v: number }
).v;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const lastQuarter = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);

const cases: [string, Record<string, string | string[]>][] = [
  ["no filter", {}],
  ["owner", { owner }],
  ["type=meeting", { type: "meeting" }],
  ["direction=inbound", { direction: "inbound" }],
  ["status=planned", { status: "planned" }],
  ["connection (the smaller one)", { connection: "salesforce:globex-eu" }],
  ["deleted=only", { deleted: "only" }],
  ["deleted=include", { deleted: "include" }],
  [
    "owner + calls + completed + connection",
    {
      owner,
      type: "call",
      status: "completed",
      connection: "hubspot:acme-prod",
    },
  ],
  ["user (engagement_refs)", { user }],
  ["owner + calls + last quarter", { owner, type: "call", from: lastQuarter }],
  [`text, frequent ("${FREQUENT_TERM}")`, { q: FREQUENT_TERM }],
  [`text, rare ("${RARE_TERM}")`, { q: RARE_TERM }],
  ["contact (the busiest)", { contact }],
  [
    "date range, 2 weeks",
    { from: day(newest - 20 * 86_400_000), to: day(newest - 7 * 86_400_000) },
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
  return `${f(median)} ms (${f(times[0]!)}–${f(times.at(-1)!)})`;
}

console.log(
  `| filter | count | count ms | facets ms | chart ms | all three, one walk (summarize) ms |\n| --- | ---: | ---: | ---: | ---: | ---: |`,
);
for (const [name, params] of cases) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, v);
  }
  const filter = parseFilter(search);
  const counted: unknown = countEngagements(db, filter);
  const shown =
    typeof counted === "number"
      ? String(counted)
      : `${(counted as { count: number }).count}${(counted as { capped: boolean }).capped ? "+" : ""}`;
  console.log(
    `| ${name} | ${shown} | ${time(() => countEngagements(db, filter))} | ${time(() => facetCounts(db, filter))} | ${time(() => activityPerDay(db, filter, newest))} | ${time(() => summarize(db, filter, newest))} |`,
  );
}
sqlite.close();
