import type { SummaryTuning } from "@/db/read-tuning";
import { REFERENCE_ROLES } from "@/db/roles";
import type { ActivityWindow, EngagementQuery, Summary } from "@/db/types";
import { countOfWalk } from "@/db/walk-folds";
import type { PgDatabase } from "../../client";
import { activityFromCounts, activityFromWalk } from "./activity";
import { createReadContext, type ReadContext } from "./context";
import { countersHold, countRows, sumCounters } from "./counts";
import { facetsFromCounters, facetsFromWalk } from "./facets";
import { broadWalk } from "./walk";

/** A read started now and awaited later: handled at once, so its failure is never unhandled. */
function started<T>(read: Promise<T>): Promise<T> {
  read.catch(() => {});
  return read;
}

/**
 * The broad walk, and the query's capped count as a read in flight. A record's engagements are
 * few: its walk most often reads them all and gives the count, so the count waits for it; any
 * other query counts on another connection meanwhile.
 */
async function walkAndCount(ctx: ReadContext) {
  const recordFilter = REFERENCE_ROLES.some(({ filterKey }) => ctx.query[filterKey] !== null);
  const counting = recordFilter ? null : started(countRows(ctx));
  const walk = await broadWalk(ctx);
  const fromWalk = () => countOfWalk(ctx.query, walk, ctx.tuning.countCap) ?? countRows(ctx);
  return { walk, count: counting ?? started(Promise.resolve(fromWalk())) };
}

/**
 * What the engagements page shows beside its list, as SQLite answers it: from the counters
 * where they hold the filter, else a capped count beside one walk of the broad set, which the
 * facets and the chart fold. Independent reads run side by side on the pool.
 */
export async function summarize(
  db: PgDatabase,
  query: EngagementQuery,
  chart: ActivityWindow,
  tuning?: SummaryTuning,
): Promise<Summary> {
  const ctx = createReadContext(db, query, tuning);
  if (countersHold(ctx)) {
    const [count, facets, activity] = await Promise.all([
      sumCounters(ctx),
      facetsFromCounters(ctx),
      activityFromCounts(ctx, chart),
    ]);
    return { count, facets, activity };
  }
  const { walk, count } = await walkAndCount(ctx);
  const [facets, activity] = await Promise.all([
    facetsFromWalk(ctx, walk),
    activityFromWalk(ctx, chart, walk, () => count),
  ]);
  return { count: await count, facets, activity };
}
