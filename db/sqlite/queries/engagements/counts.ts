import { sql, type SQL } from "drizzle-orm";
import { FACET_KEYS, type FacetKey } from "@/db/facets";
import { cappedCount, countersAnswer as countersHold } from "@/db/read-tuning";
import type { EngagementCount, EngagementQuery } from "@/db/types";
import { get } from "../../prepared";
import { deletedScope, walksTerm, withQuery, type DeletedScope, type ReadContext } from "./context";
import { inList, whereClause } from "../sql";
import { plan, REF_DRIVERS, type Range } from "./plan";
import { walkText } from "./text-walk";

function isTextOnly(query: EngagementQuery) {
  return (
    !query.owner &&
    REF_DRIVERS.every((role) => query[role] === null) &&
    !query.type.length &&
    !query.direction.length &&
    !query.status.length &&
    query.fromMs === null &&
    query.toMs === null &&
    !query.connection
  );
}

/** Matching rows in one deleted scope, counted up to `limit` (the walk stops there). */
function countUpTo(ctx: ReadContext, scope: DeletedScope, limit: number, range?: Range) {
  const { db, query, text } = ctx;
  // A bare full-text count needs no row at all: FTS5 walks its own doclist.
  if (text && scope === "any" && isTextOnly(query) && !range) {
    return (
      get<{ n: number }>(
        db,
        sql`select count(*) as n from (select 1 from engagements_fts where engagements_fts match ${text.fts} limit ${limit})`,
      )?.n ?? 0
    );
  }
  if (walksTerm(ctx)) {
    const fromStart = withQuery(ctx, { after: null });
    return walkText(fromStart, ctx.text.fts, { scope, newestFirst: true, want: limit, range })
      .length;
  }
  // The page's index: it finds the first matches soonest.
  const p = plan(query, text, { deleted: scope, purpose: "count", range });
  return (
    get<{ n: number }>(
      db,
      sql`select count(*) as n from (select 1 from ${p.from} ${whereClause(p.where)} limit ${limit})`,
    )?.n ?? 0
  );
}

/** Rows up to the cap in the query's own deleted scope (subtracting tombstones has no bound). */
export function countRows(ctx: ReadContext, range?: Range): EngagementCount {
  const cap = ctx.tuning.countCap;
  return cappedCount(countUpTo(ctx, deletedScope(ctx.query), cap + 1, range), cap);
}

/** Whether engagement_counts holds every dimension the query narrows on (db/read-tuning.ts). */
export const countersAnswer = (ctx: ReadContext) =>
  countersHold(ctx.query, ctx.text !== null, ctx.tuning);

export function counterWhere(query: EngagementQuery, dims: FacetKey[]) {
  const where: SQL[] = [];
  if (query.connection) {
    where.push(
      sql`c.connector_id = ${query.connection.connectorId} and c.connection_owner_id = ${query.connection.connectionOwnerId}`,
    );
  }
  if (query.deleted === "hide") where.push(sql`c.deleted = 0`);
  if (query.deleted === "only") where.push(sql`c.deleted = 1`);
  if (dims.includes("owner") && query.owner !== null) where.push(sql`c.owner_id = ${query.owner}`);
  for (const key of ["type", "status", "direction"] as const) {
    if (dims.includes(key) && query[key].length)
      where.push(inList(sql.raw(`c.${key}`), query[key]));
  }
  return whereClause(where);
}

/**
 * The passes of every row count under the deleted filter. Hidden-deleted is "all matching" minus
 * "deleted matching": the first is a covering index count, the second walks the few tombstones,
 * so neither reads every live row to check `deleted_at`.
 */
export function countPasses(query: EngagementQuery): [DeletedScope, sign: number][] {
  if (query.deleted === "only") return [["deleted", 1]];
  if (query.deleted === "include") return [["any", 1]];
  return [
    ["any", 1],
    ["deleted", -1],
  ];
}

/**
 * How many engagements match: exactly from engagement_counts when it holds every filtered
 * dimension, else by counting rows up to the cap (`capped` when there are more).
 */
export function countEngagements(ctx: ReadContext): EngagementCount {
  if (countersAnswer(ctx)) {
    const n =
      get<{ n: number }>(
        ctx.db,
        sql`select coalesce(sum(c.n), 0) as n from engagement_counts c ${counterWhere(ctx.query, FACET_KEYS)}`,
      )?.n ?? 0;
    return { count: n, capped: false };
  }
  return countRows(ctx);
}
