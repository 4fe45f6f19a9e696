import type { ActivityWindow, EngagementQuery, Summary } from "@/db/types";
import type { PgDatabase } from "../../client";
import { countDays } from "./activity";
import { createReadContext } from "./context";
import { countFacetsAndMatches, finishFacets } from "./facets";

/**
 * What the engagements page shows beside its list, every number exact: the facets' grouped
 * reads give the count too, and the chart's days are read beside them on another connection.
 */
export async function summarize(
  db: PgDatabase,
  query: EngagementQuery,
  chart: ActivityWindow,
): Promise<Summary> {
  const ctx = createReadContext(db, query);
  const [grouped, activity] = await Promise.all([
    countFacetsAndMatches(ctx),
    countDays(ctx, chart),
  ]);
  return {
    count: { count: grouped.matched, capped: false },
    facets: await finishFacets(ctx, grouped.counts),
    activity,
  };
}
