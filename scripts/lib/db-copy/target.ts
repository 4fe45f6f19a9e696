/** The PostgreSQL side of `db:copy`: an empty, migrated database filled in one transaction. */
import type pg from "pg";
import { CopyError, type Batch } from "./source";
import type { TableCopy } from "./tables";

type Client = pg.PoolClient;

/** Takes the tables for the copy (others still read) and refuses a database with data in it. */
export async function claimEmptyTarget(client: Client, copies: TableCopy[], where: string) {
  const tables = copies.map((copy) => copy.table);
  await client.query(`LOCK TABLE ${tables.join(", ")} IN EXCLUSIVE MODE`);
  const probes = tables.map((table) => `EXISTS (SELECT 1 FROM ${table}) AS "${table}"`);
  const { rows } = await client.query<Record<string, boolean>>(`SELECT ${probes.join(", ")}`);
  const filled = tables.filter((table) => rows[0][table]);
  if (filled.length > 0) {
    throw new CopyError(
      `${where} already holds data (${filled.join(", ")}): db:copy only fills an empty database. ` +
        "Copy into a new database, or empty this one first.",
    );
  }
}

/** `INSERT … SELECT FROM unnest(…)`: one array per column, so a batch is one statement. */
function insertStatement(copy: TableCopy) {
  const names = copy.columns.map((column) => column.name).join(", ");
  // JSON arrives as SQLite's text and PostgreSQL checks it as json.
  const arrays = copy.columns.map((column, i) => {
    const type = column.type === "json" ? "text" : column.type;
    return `$${i + 1}::${type}[]`;
  });
  const values = copy.columns.map((column) =>
    column.type === "json" ? `${column.name}::json` : column.name,
  );
  return (
    `INSERT INTO ${copy.table} (${names}) ` +
    `SELECT ${values.join(", ")} FROM unnest(${arrays.join(", ")}) AS u(${names})`
  );
}

/** The batch as one array per column, each value as PostgreSQL can hold it. */
function columnArrays(copy: TableCopy, rows: unknown[][]): unknown[][] {
  return copy.columns.map(({ store }, c) => {
    const values = new Array<unknown>(rows.length);
    for (let r = 0; r < rows.length; r++) values[r] = store(rows[r][c]);
    return values;
  });
}

/** Prepared once per table (`named`), or parsed each time (after a failure, to be safe). */
export function createInserter(client: Client, copy: TableCopy, named = true) {
  const statement = { name: named ? `copy_${copy.table}` : undefined, text: insertStatement(copy) };
  return async (rows: unknown[][]) => {
    await client.query({ ...statement, values: columnArrays(copy, rows) });
  };
}

const describeKey = (copy: TableCopy, key: unknown[]) =>
  copy.key.map((column, i) => `${column.replace(/^\w+\./, "")} ${String(key[i])}`).join(", ");

/**
 * After the batch failed and the transaction was rolled back: the batch row by row in a
 * transaction of its own (rolled back too), to name the row PostgreSQL refuses and why.
 */
export async function explainRefusedBatch(
  client: Client,
  copy: TableCopy,
  batch: Batch,
  failure: unknown,
): Promise<CopyError> {
  const insert = createInserter(client, copy, false);
  const width = copy.columns.length;
  await client.query("BEGIN");
  try {
    for (const row of batch.rows) {
      await client.query("SAVEPOINT one_row");
      try {
        await insert([row]);
      } catch (error) {
        const key = describeKey(copy, row.slice(width));
        return new CopyError(`${copy.table} (${key}): ${(error as Error).message}`);
      }
      await client.query("RELEASE SAVEPOINT one_row");
    }
  } finally {
    await client.query("ROLLBACK");
  }
  const range = `${describeKey(copy, batch.first)} to ${describeKey(copy, batch.last)}`;
  return new CopyError(`${copy.table} (${range}): ${(failure as Error).message}`);
}

/** Each identity past the highest id copied or ever issued, so new rows never reuse an id. */
export async function moveIdentityPast(client: Client, copy: TableCopy, issuedId: number) {
  if (!copy.identity) return;
  await client.query(
    `SELECT setval(pg_get_serial_sequence($1, $2), greatest(max(${copy.identity}), $3::bigint, 0) + 1, false)
       FROM ${copy.table}`,
    [copy.table, copy.identity, issuedId],
  );
}

/** The settings SQLite keeps beside its file: the copy's win, since senders use its secret. */
export async function copySettings(client: Client, settings: { name: string; value: string }[]) {
  const replaced: string[] = [];
  for (const { name, value } of settings) {
    const { rows } = await client.query<{ before: string | null }>(
      `WITH before AS (SELECT value FROM settings WHERE name = $1)
       INSERT INTO settings (name, value) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value
       RETURNING (SELECT value FROM before) AS before`,
      [name, value],
    );
    if (rows[0].before !== null && rows[0].before !== value) replaced.push(name);
  }
  return { copied: settings.map((setting) => setting.name), replaced };
}
