/**
 * `npx tsx scripts/bench-counts.ts --db FILE`: the app's own reads against a bulk-loaded
 * database (`npm run seed:bulk`), for the benchmark's filters, one line per filter, median of
 * 20 after a warm-up (min–max beside it): the page (`listEngagements`, 50 rows resolved),
 * `countEngagements`, `facetCounts`, `activityPerDay`, and `summarize` (what the engagements
 * page reads beside its list, anchored as the page anchors it). Compare a change of the read
 * path before and after on the same file (a copy: migrations run on it).
 */
import { parseArgs } from "node:util";
import { openDatabase } from "./bench/app";
import { appReads } from "./lib/app-reads";
import { readCases, toSearchParams } from "./lib/read-queries";

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
const app = appReads(db);
const now = Date.now();

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
for (const { name, filter: params } of readCases(db.$client, now)) {
  if (args.only && !name.includes(args.only)) continue;
  const filter = app.parse(toSearchParams(params));
  const { count, capped } = app.count(filter);
  // The chart as the page anchors it; summarize gets the same anchor.
  const activity = app.activity(filter, now);
  const first = app.page(filter).data[0];
  const anchor = first && filter.sort === "startedAt" ? Date.parse(first.startedAt) : now;
  console.log(
    `| ${name} | ${count}${capped ? "+" : ""} | ${time(() => app.page(filter))} | ${time(() => app.count(filter))} | ${time(() => app.facets(filter))} | ${time(activity)} | ${time(() => app.summary(filter, anchor))} |`,
  );
}
db.$client.close();
