import { sql } from "drizzle-orm";
import type { EngagementCount, EngagementQuery } from "@/db/types";
import type { PgDatabase } from "../../client";
import { allRows } from "../rows";
import { whereClause } from "../sql";
import { createReadContext, type ReadContext } from "./context";
import { sourceOf } from "./where";

/** Every match counted: PostgreSQL's counts are exact, never capped. */
export async function countMatches(ctx: ReadContext): Promise<EngagementCount> {
  const source = sourceOf(ctx);
  const [row] = await allRows<{ n: number }>(
    ctx.db,
    sql`select count(*) as n from ${source.from} ${whereClause(source.where)}`,
  );
  return { count: row?.n ?? 0, capped: false };
}

export function countEngagements(db: PgDatabase, query: EngagementQuery) {
  return countMatches(createReadContext(db, query));
}
