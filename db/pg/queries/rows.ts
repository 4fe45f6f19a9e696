import type { SQL } from "drizzle-orm";
import type { ReadJson } from "@/db/stored-values";
import type { PgDatabase } from "../client";

/** Rows of a read on PostgreSQL, and its JSON columns as the views take them. */

export async function allRows<T>(db: PgDatabase, query: SQL): Promise<T[]> {
  return (await db.execute(query)).rows as T[];
}

export async function firstRow<T>(db: PgDatabase, query: SQL): Promise<T | undefined> {
  return (await allRows<T>(db, query))[0];
}

/** json arrives parsed: only a missing value falls back. */
export const readJsonb: ReadJson = <T>(value: unknown, fallback: T) =>
  value === null || value === undefined ? fallback : (value as T);
