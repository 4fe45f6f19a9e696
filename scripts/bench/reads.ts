/**
 * The read benchmark: the app's read functions in process, PostgreSQL's Store beside them on a
 * copy of the same data, then the API and page through the app (server.mjs) on both engines.
 */
import path from "node:path";
import { appReads, type AppReads } from "../lib/app-reads";
import { createReader, readCases, toSearchParams, type ReadCase } from "../lib/read-queries";
import { seedBulk, type SeedStats } from "../lib/seed";
import { openDatabase } from "./app";
import {
  log,
  median,
  round2,
  startApp,
  time,
  withRss,
  type Harness,
  type Server,
  type Timing,
} from "./harness";
import { PG_PAGE_MS, PG_READ_FACTOR } from "./findings";
import type { BenchPg } from "./pg";
import { benchPgReads, loadIntoPg, type PgLoad } from "./pg-reads";
import { HTTP_WARM_ROUNDS, READ_SAMPLES, WEBHOOK_SECRET, type BenchSettings } from "./settings";

/** What marks a list row in the page's HTML (components/engagements/engagement-rows.tsx). */
const ROW_MARKER = 'data-testid="engagement-row"';

/**
 * One request: TTFB, time to the last byte and, given a `marker`, time until the marker (the
 * page's first row) is in the stream. The page streams: its rows come in the first flush, the
 * count, facets and chart after them, so the three can differ widely.
 */
async function fetchTimed(url: string, marker?: string) {
  const t = performance.now();
  const res = await fetch(url, { redirect: "manual" });
  const ttfb = performance.now() - t;
  let firstRow: number | null = null;
  if (marker && res.body) {
    const decoder = new TextDecoder();
    let tail = "";
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (firstRow !== null) continue;
      const text = tail + decoder.decode(value, { stream: true });
      if (text.includes(marker)) firstRow = performance.now() - t;
      tail = text.slice(-marker.length);
    }
  } else {
    await res.arrayBuffer();
  }
  return { ttfb, firstRow, total: performance.now() - t, status: res.status };
}

type HttpTiming = {
  median: number;
  min: number;
  max: number;
  /** Null where the response had no row (an API call, or a filter matching nothing). */
  firstRow: number | null;
  total: number;
  status: number;
};

/**
 * p50 of `samples` requests to each URL, taken round-robin (every URL once, then again): a
 * slow spell of the machine, or of the benchmark's own process, then lands on every URL
 * alike instead of on whichever was being measured at the time.
 */
async function timeHttpInterleaved(
  targets: { url: string; marker?: string }[],
  samples: number,
): Promise<HttpTiming[]> {
  const runs = targets.map(() => [] as Awaited<ReturnType<typeof fetchTimed>>[]);
  for (let i = 0; i < samples; i++) {
    for (const [t, target] of targets.entries()) {
      runs[t]!.push(await fetchTimed(target.url, target.marker));
    }
  }
  return runs.map((rs) => {
    const ttfbs = rs.map((r) => r.ttfb);
    const firstRows = rs.flatMap((r) => (r.firstRow === null ? [] : [r.firstRow]));
    return {
      median: round2(median(ttfbs)),
      min: round2(Math.min(...ttfbs)),
      max: round2(Math.max(...ttfbs)),
      firstRow: firstRows.length ? round2(median(firstRows)) : null,
      total: round2(median(rs.map((r) => r.total))),
      status: rs[rs.length - 1]!.status,
    };
  });
}

type AppTiming = {
  parse: Timing;
  page: Timing;
  count: Timing;
  facets: Timing;
  activity: Timing;
};

type Sqlite = ReturnType<typeof openDatabase>["$client"];

/** The SQL each app function runs, with its parameters, from a second connection (not timed). */
function captureStatements(sqlite: Sqlite) {
  const seen: { sql: string; params: unknown[] }[] = [];
  const prepare = sqlite.prepare.bind(sqlite);
  const wrap = (statement: ReturnType<typeof prepare>, source: string): typeof statement =>
    new Proxy(statement, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (prop === "raw" || prop === "pluck" || prop === "expand")
          return (...a: unknown[]) => {
            (value as (...x: unknown[]) => unknown).apply(target, a);
            return receiver;
          };
        if (prop === "all" || prop === "get" || prop === "iterate" || prop === "run")
          return (...a: unknown[]) => {
            seen.push({ sql: source, params: a });
            return (value as (...x: unknown[]) => unknown).apply(target, a);
          };
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  sqlite.prepare = ((source: string) => wrap(prepare(source), source)) as typeof sqlite.prepare;
  return {
    /** The statements `fn` ran, and the query plan of each (deduplicated). */
    during(fn: () => unknown) {
      seen.length = 0;
      fn();
      const plans = new Set<string>();
      for (const s of seen) {
        try {
          const rows = prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...(s.params as [])) as {
            detail: string;
          }[];
          plans.add(rows.map((r) => r.detail).join("; "));
        } catch {}
      }
      return { sql: seen.map((s) => s.sql), plans: [...plans] };
    },
  };
}

type Planner = {
  app: AppReads;
  /** The same reads with frequent terms sorted, not walked. */
  sorting: AppReads;
  capture: ReturnType<typeof captureStatements>;
};

/** Full text with the date walk for frequent terms turned off: every match sorted by date. */
function timeSortingAllMatches(sorting: AppReads, filter: ReturnType<AppReads["parse"]>) {
  return time(() => sorting.page(filter), 5);
}

/** One case through the app's functions: its timings, and the plans of what it ran. */
function benchCase(app: AppReads, planner: Planner, c: ReadCase, now: number) {
  const params = toSearchParams(c.filter);
  const filter = app.parse(params);
  const { count: rows, capped } = app.count(filter);
  const activity = app.activity(filter, now);
  const timing: AppTiming = {
    parse: time(() => app.parse(params)),
    page: time(() => app.page(filter)),
    count: time(() => app.count(filter)),
    facets: time(() => app.facets(filter)),
    activity: time(activity),
  };
  const sortAllMatches = filter.q ? timeSortingAllMatches(planner.sorting, filter) : null;
  const planFilter = planner.app.parse(params);
  const plans = {
    page: planner.capture.during(() => planner.app.page(planFilter)),
    count: planner.capture.during(() => planner.app.count(planFilter)),
    facets: planner.capture.during(() => planner.app.facets(planFilter)),
  };
  const fromCounters = (p: { sql: string[] }) =>
    p.sql.length > 0 && p.sql.every((s) => /engagement_counts/.test(s));
  log(
    `  ${c.name}: ${rows}${capped ? "+" : ""} rows; page ${timing.page.median} ms, count ${timing.count.median} ms, facets ${timing.facets.median} ms, activity ${timing.activity.median} ms${sortAllMatches ? `, text page sorting all matches ${sortAllMatches.median} ms` : ""}`,
  );
  return {
    name: c.name,
    combo: !!c.combo,
    query: params.toString(),
    text: !!filter.q,
    rows,
    capped,
    app: timing,
    sortAllMatches,
    countFromCounters: fromCounters(plans.count),
    facetsFromCounters: fromCounters(plans.facets),
    plans: { page: plans.page.plans, count: plans.count.plans },
  };
}

/** Keyset vs OFFSET: page 100 should cost what page 1 costs. */
function benchDeepPages(app: AppReads, reader: ReturnType<typeof createReader>, cases: ReadCase[]) {
  const deep: Record<string, { page1: Timing; page100Keyset: Timing; page100Offset: Timing }> = {};
  for (const c of cases.filter((x) => ["no filter", "owner", "contact"].includes(x.name))) {
    const first = app.parse(toSearchParams(c.filter));
    let filter = first;
    for (let i = 0; i < 99; i++) {
      const page = app.page(filter);
      if (!page.next) break;
      filter = app.next(filter, page);
    }
    deep[c.name] = {
      page1: time(() => app.page(first)),
      page100Keyset: time(() => app.page(filter)),
      page100Offset: time(() => reader.page(c.filter, { offset: 99 * 50 })),
    };
    log(
      `  deep pages, ${c.name}: page 1 ${deep[c.name]!.page1.median} ms, page 100 keyset ${deep[c.name]!.page100Keyset.median} ms, OFFSET (raw SQL) ${deep[c.name]!.page100Offset.median} ms`,
    );
  }
  return deep;
}

/** One engine's server for the HTTP reads. */
type HttpSide = { engine: "sqlite" | "postgres"; databaseUrl: string };

/** Each case's API and page through `server`, as URLs to fetch, with the health route first. */
function httpTargets(server: Server, cases: ReadCase[]) {
  return [
    { url: `${server.url}/api/health` },
    ...cases.flatMap((c) => {
      const qs = toSearchParams(c.filter).toString();
      return [
        { url: `${server.url}/api/engagements?${qs}` },
        { url: `${server.url}/engagements?${qs}`, marker: ROW_MARKER },
      ];
    }),
  ];
}

/**
 * The cases' API and page through the app (server.mjs, as `npm start` serves it) on each
 * engine, the health route as the HTTP floor. With two engines both servers run and every URL
 * of both is taken in one round-robin, so their ratio compares the same moments.
 */
async function benchHttpReads(
  harness: Harness,
  settings: BenchSettings,
  sides: HttpSide[],
  cases: ReadCase[],
) {
  log(
    `reads through the app (${sides.map((s) => s.engine).join(", ")}): TTFB, first row and full response, p50 of ${settings.httpSamples}`,
  );
  const servers: Server[] = [];
  for (const side of sides) {
    servers.push(
      await startApp(harness, `app-reads-${side.engine}`, {
        DATABASE_URL: side.databaseUrl,
        APP_ALLOW_PUBLIC: "1",
        WEBHOOK_SECRET,
      }),
    );
  }
  const perSide = servers.map((server) => httpTargets(server, cases));
  const targets = perSide.flat();
  const measured = await measureEach(servers, async () => {
    // A server that has just started runs its first requests unoptimised: a few rounds over
    // every case first, so that no case is measured while V8 is still compiling the page.
    await timeHttpInterleaved(targets, HTTP_WARM_ROUNDS);
    return timeHttpInterleaved(targets, settings.httpSamples);
  });
  for (const server of servers) server.stop();
  let offset = 0;
  return sides.map((side, s) => {
    const [floor, ...timed] = measured.value.slice(offset, offset + perSide[s]!.length);
    offset += perSide[s]!.length;
    const out = cases.map((c, i) => {
      const [api, page] = [timed[2 * i]!, timed[2 * i + 1]!];
      log(
        `  ${side.engine} ${c.name}: API ${api.median} ms TTFB / ${api.total} ms full (HTTP ${api.status}), page ${page.median} ms TTFB / ${page.firstRow ?? "no"} ms first row / ${page.total} ms full (HTTP ${page.status})`,
      );
      return { name: c.name, query: toSearchParams(c.filter).toString(), api, page };
    });
    return { engine: side.engine, http: { floor: floor!, cases: out }, rssMb: measured.rssMb[s]! };
  });
}

/** Peak RSS of each server while `fn` runs. */
async function measureEach<T>(servers: Server[], fn: () => Promise<T>) {
  const rssMb: number[] = [];
  const nest = async (i: number): Promise<T> => {
    if (i === servers.length) return fn();
    const { value, rssMb: peak } = await withRss(servers[i]!.pid, () => nest(i + 1));
    rssMb[i] = peak;
    return value;
  };
  const value = await nest(0);
  return { value, rssMb };
}

/** PostgreSQL's half of the reads: the copy, the Store's reads beside SQLite's, its plans. */
async function pgReadsOf(pg: BenchPg, file: string, app: AppReads, cases: ReadCase[], now: number) {
  const load: PgLoad = await loadIntoPg(pg, file);
  const reads = await benchPgReads(app, load, cases, now, {
    factor: PG_READ_FACTOR,
    pageMs: PG_PAGE_MS,
  });
  const { url, ...loaded } = load;
  return { url, result: { load: loaded, ...reads, info: pg.info } };
}

export async function benchReads(
  harness: Harness,
  settings: BenchSettings,
  file: string,
  pg: BenchPg | null,
) {
  const db = openDatabase(file);
  const app = appReads(db);
  // OFFSET is not something the app does: raw SQL shows what page 100 would cost with it.
  const reader = createReader(db.$client);
  const planDb = openDatabase(file);
  const planner = {
    app: appReads(planDb),
    sorting: appReads(db, { walkFrequentTerms: false }),
    capture: captureStatements(planDb.$client),
  };
  const now = Date.now();
  const cases = readCases(db.$client, now);
  log(`reads: ${cases.length} cases, the app's functions, median of ${READ_SAMPLES}`);
  // As through HTTP below: every case runs a few times before any is timed, so the first case
  // is not the one measured while V8 still compiles the read path.
  for (let round = 0; round < 3; round++) {
    for (const c of cases) {
      const filter = app.parse(toSearchParams(c.filter));
      app.page(filter);
      app.count(filter);
      app.facets(filter);
      app.activity(filter, now)();
    }
  }
  const results = cases.map((c) => benchCase(app, planner, c, now));
  const deep = benchDeepPages(app, reader, cases);
  planDb.$client.close();
  const onPg = pg ? await pgReadsOf(pg, file, app, cases, now) : null;
  db.$client.close();
  const sides: HttpSide[] = [
    { engine: "sqlite", databaseUrl: file },
    ...(onPg ? [{ engine: "postgres" as const, databaseUrl: onPg.url }] : []),
  ];
  const [sqliteHttp, pgHttp] = await benchHttpReads(harness, settings, sides, cases);
  return {
    cases: results,
    deep,
    http: sqliteHttp!.http,
    rssMb: sqliteHttp!.rssMb,
    pg: onPg ? { ...onPg.result, http: pgHttp!.http, rssMb: pgHttp!.rssMb } : null,
  };
}

export type ReadsResult = Awaited<ReturnType<typeof benchReads>>;

/** The engagements `--db FILE` holds (the reads run against it as given, no bulk load). */
export function engagementsIn(file: string) {
  const db = openDatabase(file);
  const n = db.$client.prepare("SELECT count(*) FROM engagements").pluck().get() as number;
  db.$client.close();
  return n;
}

/** A fresh bulk load of `count` engagements to read from, its progress logged in quarters. */
export function bulkLoad(file: string, count: number): SeedStats {
  log(`bulk load: ${count} engagements`);
  let shown = 0;
  const bulk = seedBulk({
    file,
    count,
    onProgress: (done) => {
      if (done - shown >= count / 4 || done === count) {
        shown = done;
        log(`  ${done}/${count}`);
      }
    },
  });
  log(
    `  ${Math.round(bulk.engagementsPerSecond)} engagements/s, ${Math.round(bulk.rowsPerSecond)} rows/s, ${Math.round(bulk.bytesPerEngagement)} bytes/engagement`,
  );
  return bulk;
}

/** The bulk load's file under the work dir. */
export const bulkFile = (harness: Harness) => path.join(harness.workDir, "bulk", "app.db");
