import { sql, type SQL } from "drizzle-orm";
import { FACET_KEYS, type FacetKey } from "@/db/facets";
import { cappedCount, countersAnswer, type SummaryTuning } from "@/db/read-tuning";
import type { EngagementCount, EngagementQuery } from "@/db/types";
import type { PgDatabase } from "../../client";
import { firstRow } from "../rows";
import { anyOf, asStoredText, whereClause } from "../sql";
import { createReadContext, type ReadContext } from "./context";
import { sourceOf, type Range } from "./where";

/** Whether engagement_counts holds every dimension the query narrows on (db/read-tuning.ts). */
export const countersHold = (ctx: ReadContext) =>
  countersAnswer(ctx.query, ctx.tsquery !== null, ctx.tuning);

const COUNTER_COLUMN: Record<FacetKey, string> = {
  type: "c.type",
  status: "c.status",
  direction: "c.direction",
  owner: "c.owner_id",
};

/** engagement_counts rows of the query's connection and deleted scope, narrowed on `dims`. */
export function counterWhere(query: EngagementQuery, dims: FacetKey[]): SQL {
  const where: SQL[] = [];
  if (query.connection) {
    const { connectorId, connectionOwnerId } = query.connection;
    where.push(
      sql`c.connector_id = ${asStoredText(connectorId)} and c.connection_owner_id = ${asStoredText(connectionOwnerId)}`,
    );
  }
  if (query.deleted === "hide") where.push(sql`not c.deleted`);
  if (query.deleted === "only") where.push(sql`c.deleted`);
  if (dims.includes("owner") && query.owner !== null) {
    where.push(sql`c.owner_id = ${asStoredText(query.owner)}`);
  }
  for (const key of ["type", "status", "direction"] as const) {
    if (dims.includes(key) && query[key].length) {
      where.push(anyOf(sql.raw(COUNTER_COLUMN[key]), query[key]));
    }
  }
  return whereClause(where);
}

/** The query's matches summed from engagement_counts, every slot of every group: exact. */
export async function sumCounters(ctx: ReadContext): Promise<EngagementCount> {
  const row = await firstRow<{ n: number }>(
    ctx.db,
    sql`select coalesce(sum(c.n), 0)::bigint as n from engagement_counts c
        ${counterWhere(ctx.query, FACET_KEYS)}`,
  );
  return { count: row?.n ?? 0, capped: false };
}

/**
 * Matches up to the cap, within `range` too, in the page's order: the planner then walks the
 * page's index and stops at the cap, where without an order it reads a frequent term's whole
 * full-text bitmap first (a month of "customer" at a million rows: 122 ms against 45); a rare
 * term still reads its few matches from the full-text index.
 */
export async function countRows(ctx: ReadContext, range?: Range): Promise<EngagementCount> {
  const cap = ctx.tuning.countCap;
  const source = sourceOf(ctx, range);
  const row = await firstRow<{ n: number }>(
    ctx.db,
    sql`select count(*) as n from (select 1 from ${source.from} ${whereClause(source.where)}
        order by ${source.startedAt} desc, ${source.id} desc limit ${cap + 1}) as matches`,
  );
  return cappedCount(row?.n ?? 0, cap);
}

/**
 * How many engagements match: exactly from engagement_counts when it holds every filtered
 * dimension, else by counting rows up to the cap (`capped` when there are more), as on SQLite.
 */
export function countMatches(ctx: ReadContext): Promise<EngagementCount> {
  return countersHold(ctx) ? sumCounters(ctx) : countRows(ctx);
}

export function countEngagements(db: PgDatabase, query: EngagementQuery, tuning?: SummaryTuning) {
  return countMatches(createReadContext(db, query, tuning));
}
