import { sql, type SQL } from "drizzle-orm";
import { DAY_MS, offsetSql } from "@/db/activity-days";
import type { Activity, ActivityWindow, EngagementCount } from "@/db/types";
import {
  activityAfterCount,
  activityNeeds,
  exactActivity,
  exactActivityOf,
  foldSampleActivity,
  foldWalkActivity,
  type Walk,
} from "@/db/walk-folds";
import { all } from "../../prepared";
import { deletedScope, walksTerm, withQuery, type ReadContext } from "./context";
import { countersAnswer, countPasses, countRows } from "./counts";
import { whereClause } from "../sql";
import { plan } from "./plan";
import { walkText } from "./text-walk";
import { broadWalk, newestWalk, walkRows } from "./walk";

/** Every match in the window counted exactly. */
export function activityFromCounts(ctx: ReadContext, chart: ActivityWindow): Activity {
  const range = { fromMs: chart.fromMs, toMs: chart.toMs };
  if (walksTerm(ctx)) {
    const scope = deletedScope(ctx.query);
    const fromStart = withQuery(ctx, { after: null });
    const ids = walkText(fromStart, ctx.text.fts, {
      scope,
      newestFirst: true,
      want: Infinity,
      range,
    });
    return exactActivityOf(chart, walkRows(ctx, ids));
  }
  const byDay = new Map<number, number>();
  const dayOfRow = (startedAt: SQL) =>
    sql`cast((${startedAt} + ${offsetSql(chart, startedAt)}) / ${DAY_MS} as integer)`;
  for (const [scope, sign] of countPasses(ctx.query)) {
    const p = plan(ctx.query, ctx.text, { deleted: scope, purpose: "count", range });
    const rows = all<{ day: number; n: number }>(
      ctx.db,
      sql`select ${dayOfRow(p.startedAt)} as day, count(*) as n from ${p.from} ${whereClause(p.where)} group by day`,
    );
    for (const r of rows) byDay.set(Number(r.day), (byDay.get(Number(r.day)) ?? 0) + sign * r.n);
  }
  return exactActivity(chart, byDay);
}

/** The window's own newest sample of matches, or all of them counted exactly. */
function activityFromOwnWalk(ctx: ReadContext, chart: ActivityWindow): Activity {
  const range = { fromMs: chart.fromMs, toMs: chart.toMs };
  if (!countRows(ctx, range).capped) return activityFromCounts(ctx, chart);
  return foldSampleActivity(chart, newestWalk(ctx, range).rows, ctx.tuning.facetSample);
}

/** The days from the facets' walk; past its sample the oldest days are partial. */
export function activityFromWalk(
  ctx: ReadContext,
  chart: ActivityWindow,
  walk: Walk,
  ownCount: () => EngagementCount,
): Activity {
  if (activityNeeds(chart, walk) === "count") {
    const next = activityAfterCount(chart, walk, ownCount().capped);
    if (next === "exact") return activityFromCounts(ctx, chart);
    if (next === "own") return activityFromOwnWalk(ctx, chart);
  }
  return foldWalkActivity(ctx.query, chart, walk, ctx.tuning.facetSample);
}

/** Engagements per day of `chart` (lib/filters decides its days). */
export function countActivity(ctx: ReadContext, chart: ActivityWindow): Activity {
  return countersAnswer(ctx)
    ? activityFromCounts(ctx, chart)
    : activityFromWalk(ctx, chart, broadWalk(ctx), () => countRows(ctx));
}
