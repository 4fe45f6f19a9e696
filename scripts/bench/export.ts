/**
 * The CSV export of the bulk-loaded database through the app (GET /api/engagements?format=csv),
 * on each engine: rows per second and the server's peak RSS, beside a raw read of the same rows
 * in this process (one SELECT in list order, iterated), so the ratio says what the export adds.
 */
import pg from "pg";
import { ENGAGEMENT_ROW_COLUMNS_SQL, openDatabase } from "./app";
import { log, round2, startApp, withRss, type Harness } from "./harness";
import { WEBHOOK_SECRET } from "./settings";

/** The export's rows: what the list shows by default (live engagements, newest first). */
const RAW_SELECT = `SELECT ${ENGAGEMENT_ROW_COLUMNS_SQL} FROM engagements e WHERE e.deleted_at IS NULL ORDER BY e.started_at DESC, e.id DESC`;
/** Rows per FETCH of the raw read's PostgreSQL cursor. */
const PG_FETCH = 10_000;
/** The target the issue sets for the server exporting 1 M rows. */
export const EXPORT_RSS_TARGET_MB = 300;

export type ExportSide = { engine: "sqlite" | "postgres"; databaseUrl: string };

export type ExportResult = {
  engine: "sqlite" | "postgres";
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  rssMb: number;
  raw: { rows: number; seconds: number; rowsPerSecond: number };
  /** The export's rate over the raw read's. */
  ratio: number;
};

/** The whole body, counted as it arrives and dropped: bytes and line ends (rows + header). */
async function download(url: string) {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
  let bytes = 0;
  let lines = 1;
  const reader = response.body.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    const chunk = next.value;
    bytes += chunk.byteLength;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return { bytes, lines };
}

/** The same rows read raw on SQLite: one statement, iterated, nothing kept. */
function rawSqlite(file: string) {
  const db = openDatabase(file);
  const started = performance.now();
  let rows = 0;
  const iterator = db.$client.prepare(RAW_SELECT).iterate();
  while (!iterator.next().done) rows++;
  const seconds = (performance.now() - started) / 1000;
  db.$client.close();
  return { rows, seconds };
}

/** The same rows read raw on PostgreSQL: a server-side cursor, fetched in blocks, nothing kept. */
async function rawPg(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  let rows = 0;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    await client.query(`DECLARE raw_export NO SCROLL CURSOR FOR ${RAW_SELECT}`);
    for (;;) {
      const { rowCount } = await client.query(`FETCH FORWARD ${PG_FETCH} FROM raw_export`);
      if (!rowCount) break;
      rows += rowCount;
    }
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
  return { rows, seconds: (performance.now() - started) / 1000 };
}

const perSecond = (rows: number, seconds: number) => Math.round(rows / Math.max(seconds, 1e-6));

/** One engine: the raw read first (it warms the same pages), then the export through its server. */
async function benchSide(harness: Harness, side: ExportSide): Promise<ExportResult> {
  const raw =
    side.engine === "sqlite" ? rawSqlite(side.databaseUrl) : await rawPg(side.databaseUrl);
  const server = await startApp(harness, `app-export-${side.engine}`, {
    DATABASE_URL: side.databaseUrl,
    APP_ALLOW_PUBLIC: "1",
    WEBHOOK_SECRET,
  });
  try {
    const started = performance.now();
    const { value, rssMb } = await withRss(server.pid, () =>
      download(`${server.url}/api/engagements?format=csv`),
    );
    const seconds = (performance.now() - started) / 1000;
    const rows = value.lines - 1;
    if (rows !== raw.rows)
      log(`  ${side.engine}: the export has ${rows} lines of rows, raw ${raw.rows}`);
    const result = {
      engine: side.engine,
      rows,
      bytes: value.bytes,
      seconds: round2(seconds),
      rowsPerSecond: perSecond(rows, seconds),
      rssMb,
      raw: {
        ...raw,
        seconds: round2(raw.seconds),
        rowsPerSecond: perSecond(raw.rows, raw.seconds),
      },
      ratio: 0,
    };
    result.ratio = round2(result.rowsPerSecond / result.raw.rowsPerSecond);
    log(
      `  ${side.engine}: export ${result.rowsPerSecond} rows/s (${rows} rows, ${Math.round(value.bytes / 1e6)} MB in ${result.seconds} s), peak server RSS ${rssMb} MB (target ≤ ${EXPORT_RSS_TARGET_MB}); raw read ${result.raw.rowsPerSecond} rows/s; export/raw ${result.ratio}`,
    );
    return result;
  } finally {
    server.stop();
  }
}

/** The export on each engine in turn (one server at a time: the RSS is the export's own). */
export async function benchExport(harness: Harness, sides: ExportSide[]) {
  log(`CSV export of every live row (${sides.map((s) => s.engine).join(", ")}), beside a raw read`);
  const results: ExportResult[] = [];
  for (const side of sides) results.push(await benchSide(harness, side));
  return results;
}

/** The report's section: each engine's export beside its raw read, and the RSS target. */
export function exportSection(results: ExportResult[]) {
  return [
    "## CSV export",
    "",
    `\`GET /api/engagements?format=csv\` (every live row, newest first) through the app as \`npm start\` serves it, one engine's server at a time; its peak RSS sampled from /proc. Raw = the same rows in this process, one \`SELECT\` in list order iterated (SQLite) or fetched ${PG_FETCH} at a time from a cursor (PostgreSQL), nothing resolved or written. Target: the server's RSS ≤ ${EXPORT_RSS_TARGET_MB} MB.`,
    "",
    "| engine | rows | MB | s | rows/s | raw rows/s | export/raw | peak server RSS MB |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...results.map(
      (r) =>
        `| ${r.engine} | ${r.rows} | ${Math.round(r.bytes / 1e6)} | ${r.seconds} | ${r.rowsPerSecond} | ${r.raw.rowsPerSecond} | ${r.ratio} | ${r.rssMb} ${r.rssMb <= EXPORT_RSS_TARGET_MB ? "✓" : "✗"} |`,
    ),
    "",
  ];
}
