import { sql } from "drizzle-orm";
import {
  addFacetCount,
  emptyFacetCounts,
  FACET_KEYS,
  facetOwnerIds,
  foldFacetGroups,
  nameOwners,
  passesFacet,
  shapeFacets,
  type FacetCounts,
  type FacetKey,
} from "@/db/facets";
import type { EngagementQuery, Facets } from "@/db/types";
import { all } from "../../prepared";
import { withQuery, type ReadContext } from "./context";
import { counterWhere, countersAnswer } from "./counts";
import { namesFor } from "./resolve";
import { broadWalk, newestWalk, type Walk } from "./walk";

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

function hasFacetFilter(query: EngagementQuery) {
  return (
    query.owner !== null || query.type.length + query.status.length + query.direction.length > 0
  );
}

/**
 * Past the sample, a cut of the broad set could hold few of a narrowed query's own matches
 * ("calls 295" beside 3,596 calls): each facet walks the query less that facet instead.
 */
function facetsFromOwnWalks(ctx: ReadContext, broad: Walk): Facets {
  const { query } = ctx;
  const counts = emptyFacetCounts();
  let capped = false;
  let own: Walk | null = null;
  for (const key of FACET_KEYS) {
    const narrowed = key === "owner" ? query.owner !== null : query[key].length > 0;
    let walk: Walk;
    if (!narrowed) walk = own ??= newestWalk(ctx);
    else {
      const others = withQuery(ctx, key === "owner" ? { owner: null } : { [key]: [] });
      walk = hasFacetFilter(others.query) ? newestWalk(others) : broad;
    }
    if (walk.capped) capped = true;
    for (const row of walk.rows) addFacetCount(counts, key, row[key], 1);
  }
  return finishFacets(ctx, counts, capped);
}

/** Each facet counts the walked rows that pass the other three facets' filters. */
export function facetsFromWalk(ctx: ReadContext, walk: Walk): Facets {
  const { query } = ctx;
  if (walk.capped && hasFacetFilter(query)) return facetsFromOwnWalks(ctx, walk);
  const counts = emptyFacetCounts();
  for (const row of walk.rows) {
    const passing = FACET_KEYS.map((key) => passesFacet(query, key, row[key]));
    const failing = passing.filter((p) => !p).length;
    if (failing > 1) continue;
    FACET_KEYS.forEach((key, i) => {
      if (failing === 1 && passing[i]) return;
      addFacetCount(counts, key, row[key], 1);
    });
  }
  return finishFacets(ctx, counts, walk.capped);
}

/** Counts per facet, each with every filter but its own (Datasette-style). */
export function countFacets(ctx: ReadContext): Facets {
  return countersAnswer(ctx) ? facetsFromCounters(ctx) : facetsFromWalk(ctx, broadWalk(ctx));
}
