import { DEFAULT_SUMMARY_TUNING, type SummaryTuning } from "@/db/read-tuning";
import type { EngagementQuery } from "@/db/types";
import type { PgDatabase } from "../../client";
import { toTsQuery } from "./text";

/**
 * One read: the pool, the query, its text as a tsquery (null: no text filter), and the
 * summary's tuning, the same numbers as SQLite's (db/read-tuning.ts).
 */
export type ReadContext = {
  db: PgDatabase;
  query: EngagementQuery;
  tsquery: string | null;
  tuning: SummaryTuning;
};

export function createReadContext(
  db: PgDatabase,
  query: EngagementQuery,
  tuning: SummaryTuning = DEFAULT_SUMMARY_TUNING,
): ReadContext {
  return { db, query, tsquery: toTsQuery(query.text), tuning };
}

/** The same read with another query (its text unchanged). */
export function withQuery(ctx: ReadContext, query: EngagementQuery): ReadContext {
  return { ...ctx, query };
}

/** Which engagements a read takes by their tombstone. */
export type DeletedScope = "any" | "live" | "deleted";

export function deletedScope(query: EngagementQuery): DeletedScope {
  return query.deleted === "hide" ? "live" : query.deleted === "only" ? "deleted" : "any";
}
