/**
 * `npm run db:copy -- --from FILE --to URL`: a SQLite database's data into an empty PostgreSQL
 * database (migrated first), ids included, so links, references and idempotency keys survive.
 * Stop the app first: what it receives after the copy starts stays in the SQLite file.
 */
import { parseArgs } from "node:util";
import { redactDatabaseUrl } from "@/lib/config";
import { copySqliteToPg, CopyError, type CopyProgress } from "./lib/db-copy/copy";
import { runScript } from "./lib/run-script";

const USAGE = `Usage: npm run db:copy -- --from FILE --to postgres://user:password@host:port/database

Copies the SQLite database FILE into the PostgreSQL database at the URL, which must hold no
engagements, references, records, deliveries or keys yet; it is migrated first. One
transaction: a copy that fails leaves the target as it was. The webhook secret and app password
kept beside FILE move too. Options: --batch N rows per statement (default 5000).`;

function readArgs() {
  const { values } = parseArgs({
    options: {
      from: { type: "string" },
      to: { type: "string" },
      batch: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!values.from || !values.to)
    throw new CopyError(`--from and --to are both needed\n\n${USAGE}`);
  if (!/^postgres(ql)?:\/\//i.test(values.to)) {
    throw new CopyError(`--to must be a postgres:// URL, got ${redactDatabaseUrl(values.to)}`);
  }
  const rows = values.batch === undefined ? undefined : Number(values.batch);
  if (rows !== undefined && !(Number.isInteger(rows) && rows > 0)) {
    throw new CopyError(`--batch must be a positive whole number, got "${values.batch}"`);
  }
  return { from: values.from, to: values.to, batch: rows === undefined ? {} : { rows } };
}

/** A line per table every couple of seconds, and one when it is done. */
function reportProgress() {
  let lastLine = 0;
  return ({ table, copied, total, seconds }: CopyProgress) => {
    const now = performance.now();
    if (copied < total && now - lastLine < 2_000) return;
    lastLine = now;
    const share = total === 0 ? 100 : Math.floor((copied / total) * 100);
    const count = `${copied.toLocaleString("en")} / ${total.toLocaleString("en")}`;
    console.log(`  ${table.padEnd(17)} ${count.padStart(25)}  ${share}%  ${seconds.toFixed(1)} s`);
  };
}

async function main() {
  const { from, to, batch } = readArgs();
  console.log(`Copying ${from} into ${redactDatabaseUrl(to)}`);
  const summary = await copySqliteToPg({ from, to, batch, onProgress: reportProgress() });
  console.log(`Copied in ${summary.seconds.toFixed(1)} s:`);
  for (const { table, rows, seconds } of summary.tables) {
    console.log(
      `  ${table.padEnd(17)} ${rows.toLocaleString("en").padStart(12)} rows  ${seconds} s`,
    );
  }
  const { copied, replaced } = summary.settings;
  if (copied.length > 0) {
    const note = replaced.length > 0 ? ` (replacing the target's ${replaced.join(", ")})` : "";
    console.log(`  settings: ${copied.join(", ")} from beside ${from}${note}`);
  }
}

await runScript("db:copy", main);
