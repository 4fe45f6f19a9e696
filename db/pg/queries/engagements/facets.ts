import { sql } from "drizzle-orm";
import {
  facetOwnerIds,
  foldFacetGroups,
  nameOwners,
  shapeFacets,
  type FacetCounts,
  type FacetRow,
} from "@/db/facets";
import type { SummaryTuning } from "@/db/read-tuning";
import type { EngagementQuery, Facets } from "@/db/types";
import {
  foldOwnWalks,
  foldWalkFacets,
  needsOwnWalks,
  ownWalkQueries,
  type Walk,
} from "@/db/walk-folds";
import type { PgDatabase } from "../../client";
import { allRows } from "../rows";
import { createReadContext, withQuery, type ReadContext } from "./context";
import { counterWhere, countersHold } from "./counts";
import { namesFor } from "./resolve";
import { broadWalk, newestWalk } from "./walk";

/** Sorted, non-zero values per facet (db/facets.ts); owners with names. */
async function finishFacets(ctx: ReadContext, counts: FacetCounts, capped: boolean) {
  const facets = shapeFacets(counts, capped, capped ? ctx.tuning.facetSample : null);
  const names = await namesFor(ctx.db, "genericUser", facetOwnerIds(facets), ctx.query.connection);
  return nameOwners(facets, names);
}

/** engagement_counts grouped by the facet columns; a group counts where it passes the others. */
export async function facetsFromCounters(ctx: ReadContext): Promise<Facets> {
  const groups = await allRows<FacetRow & { n: number }>(
    ctx.db,
    sql`select c.owner_id as owner, c.type, c.status, c.direction, sum(c.n) as n
        from engagement_counts c ${counterWhere(ctx.query, [])}
        group by c.owner_id, c.type, c.status, c.direction having sum(c.n) <> 0`,
  );
  return finishFacets(ctx, foldFacetGroups(ctx.query, groups), false);
}

/** Each facet from a walk of its own query (db/walk-folds.ts `ownWalkQueries`), side by side. */
async function facetsFromOwnWalks(ctx: ReadContext, broad: Walk): Promise<Facets> {
  let own: Promise<Walk> | null = null;
  const walks = await Promise.all(
    ownWalkQueries(ctx.query).map(([, query]) => {
      if (query === null) return broad;
      return query === ctx.query ? (own ??= newestWalk(ctx)) : newestWalk(withQuery(ctx, query));
    }),
  );
  const { counts, capped } = foldOwnWalks(walks);
  return finishFacets(ctx, counts, capped);
}

/** Each facet counts the walked rows that pass the other three facets' filters. */
export function facetsFromWalk(ctx: ReadContext, walk: Walk): Promise<Facets> {
  if (needsOwnWalks(ctx.query, walk)) return facetsFromOwnWalks(ctx, walk);
  return finishFacets(ctx, foldWalkFacets(ctx.query, walk.rows), walk.capped);
}

/** Counts per facet, each with every filter but its own, as SQLite counts them. */
export async function countFacets(
  db: PgDatabase,
  query: EngagementQuery,
  tuning?: SummaryTuning,
): Promise<Facets> {
  const ctx = createReadContext(db, query, tuning);
  return countersHold(ctx) ? facetsFromCounters(ctx) : facetsFromWalk(ctx, await broadWalk(ctx));
}
