import { sql } from "drizzle-orm";
import { DAY_MS, offsetSql } from "@/db/activity-days";
import type { SummaryTuning } from "@/db/read-tuning";
import type { Activity, ActivityWindow, EngagementCount, EngagementQuery } from "@/db/types";
import {
  activityAfterCount,
  activityNeeds,
  exactActivity,
  exactActivityOf,
  foldSampleActivity,
  foldWalkActivity,
  type Walk,
} from "@/db/walk-folds";
import type { PgDatabase } from "../../client";
import { allRows } from "../rows";
import { whereClause } from "../sql";
import { createReadContext, type ReadContext } from "./context";
import { countersHold, countRows } from "./counts";
import { broadWalk, newestWalk } from "./walk";
import { sourceOf } from "./where";

const rangeOf = (chart: ActivityWindow) => ({ fromMs: chart.fromMs, toMs: chart.toMs });

/** Every match in the chart's window counted per day of the viewer's zone, exactly. */
export async function activityFromCounts(
  ctx: ReadContext,
  chart: ActivityWindow,
): Promise<Activity> {
  const source = sourceOf(ctx, rangeOf(chart));
  // floor, not integer division: a day before 1970 is still the day it falls in.
  const day = sql`floor((${source.startedAt} + ${offsetSql(chart, source.startedAt)}::bigint)::float8 / ${DAY_MS})::int`;
  const rows = await allRows<{ day: number; n: number }>(
    ctx.db,
    sql`select ${day} as day, count(*) as n from ${source.from} ${whereClause(source.where)}
        group by 1`,
  );
  return exactActivity(chart, new Map(rows.map((row) => [row.day, row.n])));
}

/** The window's own newest sample of matches, or all of them counted exactly. */
async function activityFromOwnWalk(ctx: ReadContext, chart: ActivityWindow): Promise<Activity> {
  const [count, walk] = await Promise.all([
    countRows(ctx, rangeOf(chart)),
    newestWalk(ctx, rangeOf(chart)),
  ]);
  if (count.capped) return foldSampleActivity(chart, walk.rows, ctx.tuning.facetSample);
  // A walk that read every match of the window has its days already.
  return walk.capped ? activityFromCounts(ctx, chart) : exactActivityOf(chart, walk.rows);
}

/** The days from the facets' walk; past its sample the oldest days are partial. */
export async function activityFromWalk(
  ctx: ReadContext,
  chart: ActivityWindow,
  walk: Walk,
  ownCount: () => Promise<EngagementCount>,
): Promise<Activity> {
  if (activityNeeds(chart, walk) === "count") {
    const next = activityAfterCount(chart, walk, (await ownCount()).capped);
    if (next === "exact") return activityFromCounts(ctx, chart);
    if (next === "own") return activityFromOwnWalk(ctx, chart);
  }
  return foldWalkActivity(ctx.query, chart, walk, ctx.tuning.facetSample);
}

/** Engagements per day of `chart` (lib/filters decides its days), as SQLite counts them. */
export async function countActivity(
  db: PgDatabase,
  query: EngagementQuery,
  chart: ActivityWindow,
  tuning?: SummaryTuning,
): Promise<Activity> {
  const ctx = createReadContext(db, query, tuning);
  if (countersHold(ctx)) return activityFromCounts(ctx, chart);
  return activityFromWalk(ctx, chart, await broadWalk(ctx), () => countRows(ctx));
}
