import type { EngagementQuery } from "@/db/types";
import type { PgDatabase } from "../../client";
import { toTsQuery } from "./text";

/** One read: the pool, the query, and its text as a tsquery (null: no text filter). */
export type ReadContext = { db: PgDatabase; query: EngagementQuery; tsquery: string | null };

export function createReadContext(db: PgDatabase, query: EngagementQuery): ReadContext {
  return { db, query, tsquery: toTsQuery(query.text) };
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
