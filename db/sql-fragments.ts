import { sql, type SQL } from "drizzle-orm";

/** Pieces of SQL every engine's read queries build (Drizzle writes the placeholders per dialect). */

export function inList(column: SQL, values: string[]) {
  return values.length === 1
    ? sql`${column} = ${values[0]}`
    : sql`${column} in (${sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )})`;
}

export function whereClause(parts: SQL[]) {
  return parts.length ? sql`where ${sql.join(parts, sql` and `)}` : sql``;
}
