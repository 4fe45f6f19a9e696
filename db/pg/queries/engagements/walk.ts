import { sql } from "drizzle-orm";
import { broadQuery, walkOf, type Walk, type WalkRow } from "@/db/walk-folds";
import { allRows } from "../rows";
import { whereClause } from "../sql";
import { withQuery, type ReadContext } from "./context";
import { sourceOf, type Range } from "./where";

/**
 * The newest `facetSample` matches (within `range` too), newest first as the list shows them:
 * the walk of the filter's (started_at, id) index that a page takes, stopped at the sample.
 */
export async function newestWalk(ctx: ReadContext, range?: Range): Promise<Walk> {
  const sample = ctx.tuning.facetSample;
  const source = sourceOf(ctx, range);
  const rows = await allRows<WalkRow>(
    ctx.db,
    sql`select ${source.id} as id, ${source.startedAt} as started_at, e.type, e.status,
          e.direction, e.owner_id as owner
        from ${source.from} ${whereClause(source.where)}
        order by ${source.startedAt} desc, ${source.id} desc limit ${sample + 1}`,
  );
  return walkOf(rows, sample);
}

/** The query without its four facet dimensions, walked once: facets and chart fold its rows. */
export function broadWalk(ctx: ReadContext): Promise<Walk> {
  return newestWalk(withQuery(ctx, broadQuery(ctx.query)));
}
