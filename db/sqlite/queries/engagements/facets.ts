import { sql } from "drizzle-orm";
import {
  facetOwnerIds,
  foldFacetGroups,
  nameOwners,
  shapeFacets,
  type FacetCounts,
  type FacetKey,
} from "@/db/facets";
import type { Facets } from "@/db/types";
import {
  foldOwnWalks,
  foldWalkFacets,
  needsOwnWalks,
  ownWalkQueries,
  type Walk,
} from "@/db/walk-folds";
import { all } from "../../prepared";
import { withQuery, type ReadContext } from "./context";
import { counterWhere, countersAnswer } from "./counts";
import { namesFor } from "./resolve";
import { broadWalk, newestWalk } from "./walk";

/** Sorted, non-zero values per facet (db/facets.ts); owners with names. */
function finishFacets(ctx: ReadContext, counts: FacetCounts, capped: boolean): Facets {
  const facets = shapeFacets(counts, capped, capped ? ctx.tuning.facetSample : null);
  return nameOwners(
    facets,
    namesFor(ctx.db, "genericUser", facetOwnerIds(facets), ctx.query.connection),
  );
}

/** engagement_counts grouped by the facet columns; a row counts where it passes the other facets. */
function countsFromCounters(ctx: ReadContext): FacetCounts {
  const rows = all<Record<FacetKey, string | null> & { n: number }>(
    ctx.db,
    sql`select c.owner_id as owner, c.type, c.status, c.direction, sum(c.n) as n
        from engagement_counts c ${counterWhere(ctx.query, [])}
        group by c.owner_id, c.type, c.status, c.direction`,
  );
  return foldFacetGroups(ctx.query, rows);
}

export function facetsFromCounters(ctx: ReadContext): Facets {
  return finishFacets(ctx, countsFromCounters(ctx), false);
}

/** Each facet from a walk of its own query (db/walk-folds.ts `ownWalkQueries`). */
function facetsFromOwnWalks(ctx: ReadContext, broad: Walk): Facets {
  let own: Walk | null = null;
  const walks = ownWalkQueries(ctx.query).map(([, query]) => {
    if (query === null) return broad;
    return query === ctx.query ? (own ??= newestWalk(ctx)) : newestWalk(withQuery(ctx, query));
  });
  const { counts, capped } = foldOwnWalks(walks);
  return finishFacets(ctx, counts, capped);
}

/** Each facet counts the walked rows that pass the other three facets' filters. */
export function facetsFromWalk(ctx: ReadContext, walk: Walk): Facets {
  if (needsOwnWalks(ctx.query, walk)) return facetsFromOwnWalks(ctx, walk);
  return finishFacets(ctx, foldWalkFacets(ctx.query, walk.rows), walk.capped);
}

/** Counts per facet, each with every filter but its own (Datasette-style). */
export function countFacets(ctx: ReadContext): Facets {
  return countersAnswer(ctx) ? facetsFromCounters(ctx) : facetsFromWalk(ctx, broadWalk(ctx));
}
