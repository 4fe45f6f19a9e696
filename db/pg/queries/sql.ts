import { sql, type SQL } from "drizzle-orm";

/** Pieces of SQL the PostgreSQL read queries build. */

/**
 * A filter's value as stored text: PostgreSQL's text cannot hold U+0000, which the writer keeps
 * as U+FFFD, so a value carrying one is compared as that (and is never an error).
 */
export const asStoredText = (value: string) =>
  value.includes("\0") ? value.replace(/\0/g, "\ufffd") : value;

/** `column` is one of `values`: one array parameter, whatever the list's length. */
export function anyOf(column: SQL, values: string[]) {
  const stored = values.map(asStoredText);
  return stored.length === 1
    ? sql`${column} = ${stored[0]}`
    : sql`${column} = any(${sql.param(stored)}::text[])`;
}

export { whereClause } from "../../sql-fragments";
