import type { ActivityWindow, Summary } from "@/db/types";
import { walksTerm, type ReadContext } from "./context";
import { countEngagements, countersAnswer, countRows } from "./counts";
import { activityFromCounts, activityFromWalk } from "./activity";
import { facetsFromCounters, facetsFromWalk } from "./facets";
import { broadWalk } from "./walk";
import { countOfWalk } from "@/db/walk-folds";

/**
 * What the engagements page shows beside its list, from one read of the rows where the
 * counters cannot answer: the facets and the chart fold one `broadWalk`, and the count comes
 * from it too unless the walk stopped at its sample (then a capped count of the query's own).
 */
export function summarize(ctx: ReadContext, chart: ActivityWindow): Summary {
  if (countersAnswer(ctx)) {
    return {
      count: countEngagements(ctx),
      facets: facetsFromCounters(ctx),
      activity: activityFromCounts(ctx, chart),
    };
  }
  const walking: ReadContext = { ...ctx, walks: new Map() };
  // A frequent term's count walks first: the facets' sample is its beginning.
  const counted = walksTerm(walking) ? countRows(walking) : null;
  const walk = broadWalk(walking);
  const count = counted ?? countOfWalk(ctx.query, walk, ctx.tuning.countCap) ?? countRows(walking);
  return {
    count,
    facets: facetsFromWalk(walking, walk),
    activity: activityFromWalk(walking, chart, walk, () => count),
  };
}
