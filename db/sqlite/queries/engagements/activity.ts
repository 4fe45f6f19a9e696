import { sql, type SQL } from "drizzle-orm";
import { chartDays, DAY_MS, dayOf } from "@/db/activity-days";
import { passesAll } from "@/db/facets";
import type { Activity, ActivityWindow, EngagementCount } from "@/db/types";
import { all } from "../../prepared";
import { deletedScope, walksTerm, withQuery, type ReadContext } from "./context";
import { countersAnswer, countPasses, countRows } from "./counts";
import type { WalkRow } from "./page";
import { whereClause } from "../sql";
import { plan } from "./plan";
import { walkText } from "./text-walk";
import { broadWalk, newestWalk, walkRows, type Walk } from "./walk";

function countByDay(
  chart: ActivityWindow,
  rows: WalkRow[],
  keep: (row: WalkRow) => boolean = () => true,
): Map<number, number> {
  const byDay = new Map<number, number>();
  for (const row of rows) {
    if (!keep(row)) continue;
    const day = dayOf(chart, row.started_at);
    byDay.set(day, (byDay.get(day) ?? 0) + 1);
  }
  return byDay;
}

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
    const byDay = countByDay(chart, walkRows(ctx, ids));
    return { days: chartDays(chart, byDay, -Infinity), capped: false, sampled: null };
  }
  const byDay = new Map<number, number>();
  const dayOfRow = (startedAt: SQL) =>
    sql`cast((${startedAt} + ${chart.offsetMs}) / ${DAY_MS} as integer)`;
  for (const [scope, sign] of countPasses(ctx.query)) {
    const p = plan(ctx.query, ctx.text, { deleted: scope, purpose: "count", range });
    const rows = all<{ day: number; n: number }>(
      ctx.db,
      sql`select ${dayOfRow(p.startedAt)} as day, count(*) as n from ${p.from} ${whereClause(p.where)} group by day`,
    );
    for (const r of rows) byDay.set(Number(r.day), (byDay.get(Number(r.day)) ?? 0) + sign * r.n);
  }
  return { days: chartDays(chart, byDay, -Infinity), capped: false, sampled: null };
}

/** The window's own newest sample of matches, or all of them counted exactly. */
function activityFromOwnWalk(ctx: ReadContext, chart: ActivityWindow): Activity {
  const range = { fromMs: chart.fromMs, toMs: chart.toMs };
  if (!countRows(ctx, range).capped) return activityFromCounts(ctx, chart);
  const byDay = countByDay(chart, newestWalk(ctx, range).rows);
  return {
    days: chartDays(chart, byDay, Math.min(...byDay.keys())),
    capped: true,
    sampled: ctx.tuning.facetSample,
  };
}

/** The days from the facets' walk; past its sample the oldest days are partial. */
export function activityFromWalk(
  ctx: ReadContext,
  chart: ActivityWindow,
  walk: Walk,
  ownCount: () => EngagementCount,
): Activity {
  const oldest = walk.rows[walk.rows.length - 1];
  if (walk.capped && oldest && dayOf(chart, oldest.started_at) >= chart.startDay) {
    if (!ownCount().capped) return activityFromCounts(ctx, chart);
    // A window wholly older than what the walk read (a deep page's anchor): its own walk.
    if (oldest.started_at > chart.toMs) return activityFromOwnWalk(ctx, chart);
  }
  const byDay = countByDay(
    chart,
    walk.rows,
    (row) =>
      row.started_at >= chart.fromMs && row.started_at <= chart.toMs && passesAll(ctx.query, row),
  );
  const partialUpTo = walk.capped && oldest ? dayOf(chart, oldest.started_at) : -Infinity;
  const capped = partialUpTo >= chart.startDay;
  return {
    days: chartDays(chart, byDay, partialUpTo),
    capped,
    sampled: capped ? ctx.tuning.facetSample : null,
  };
}

/** Engagements per day of `chart` (lib/filters decides its days). */
export function countActivity(ctx: ReadContext, chart: ActivityWindow): Activity {
  return countersAnswer(ctx)
    ? activityFromCounts(ctx, chart)
    : activityFromWalk(ctx, chart, broadWalk(ctx), () => countRows(ctx));
}
