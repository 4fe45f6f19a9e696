import { sql } from "drizzle-orm";
import { chartDays, DAY_MS } from "@/db/activity-days";
import type { Activity, ActivityWindow, EngagementQuery } from "@/db/types";
import type { PgDatabase } from "../../client";
import { allRows } from "../rows";
import { whereClause } from "../sql";
import { createReadContext, type ReadContext } from "./context";
import { sourceOf } from "./where";

/** The matches in the chart's window counted per day of the viewer's zone, exactly. */
export async function countDays(ctx: ReadContext, chart: ActivityWindow): Promise<Activity> {
  const source = sourceOf(ctx, { fromMs: chart.fromMs, toMs: chart.toMs });
  // floor, not integer division: a day before 1970 is still the day it falls in.
  const day = sql`floor((${source.startedAt} + ${chart.offsetMs}::bigint)::float8 / ${DAY_MS})::int`;
  const rows = await allRows<{ day: number; n: number }>(
    ctx.db,
    sql`select ${day} as day, count(*) as n from ${source.from} ${whereClause(source.where)}
        group by 1`,
  );
  const byDay = new Map(rows.map((row) => [row.day, row.n]));
  return { days: chartDays(chart, byDay), capped: false, sampled: null };
}

/** Engagements per day of `chart` (lib/filters decides its days). */
export function countActivity(db: PgDatabase, query: EngagementQuery, chart: ActivityWindow) {
  return countDays(createReadContext(db, query), chart);
}
