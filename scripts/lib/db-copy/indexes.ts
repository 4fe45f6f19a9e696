/**
 * A table's keys and indexes set aside for a bulk load: one sort per index afterwards is much
 * cheaper than millions of insertions into each (measured: references load twice as fast).
 * Dropped and built again in the copy's transaction, so a failed copy puts them back as they were.
 */
import type pg from "pg";

type Definition = { name: string; definition: string };

/** Drops the table's primary and unique keys and its indexes; returns what builds them again. */
export async function deferIndexes(client: pg.PoolClient, table: string) {
  const { rows: keys } = await client.query<Definition>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
      WHERE conrelid = $1::regclass AND contype IN ('p', 'u')`,
    [table],
  );
  const { rows: indexes } = await client.query<Definition>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
      WHERE schemaname = current_schema() AND tablename = $1 AND indexname <> ALL($2::text[])`,
    [table, keys.map((key) => key.name)],
  );
  for (const { name } of keys) await client.query(`ALTER TABLE ${table} DROP CONSTRAINT "${name}"`);
  for (const { name } of indexes) await client.query(`DROP INDEX "${name}"`);
  return async () => {
    for (const { name, definition } of keys) {
      await client.query(`ALTER TABLE ${table} ADD CONSTRAINT "${name}" ${definition}`);
    }
    for (const { definition } of indexes) await client.query(definition);
  };
}
