import { sql } from "drizzle-orm";
import type { EngagementQuery, Facets } from "@/db/types";
import { all } from "../../prepared";
import { withQuery, type ReadContext } from "./context";
import { counterWhere, countersAnswer, FACET_KEYS, type FacetKey } from "./counts";
import { namesFor } from "./resolve";
import { broadWalk, newestWalk, passesFacet, type Walk } from "./walk";

type FacetCounts = Record<FacetKey, Map<string | null, number>>;

function emptyFacetCounts() {
  return Object.fromEntries(
    FACET_KEYS.map((key) => [key, new Map<string | null, number>()]),
  ) as FacetCounts;
}

function add(counts: FacetCounts, key: FacetKey, value: string | null, n: number) {
  counts[key].set(value, (counts[key].get(value) ?? 0) + n);
}

/** Sorted, non-zero values per facet; owners: the 10 busiest, with names. */
function shapeFacets(ctx: ReadContext, counts: FacetCounts, capped: boolean): Facets {
  const result = { capped, sampled: capped ? ctx.tuning.facetSample : null } as Facets;
  for (const key of FACET_KEYS) {
    result[key] = [...counts[key]]
      .filter(([, count]) => count > 0)
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
  }
  result.owner = result.owner.filter((o) => o.value !== null).slice(0, 10);
  const ids = result.owner.map((o) => o.value!);
  const names = namesFor(ctx.db, "genericUser", ids, ctx.query.connection);
  for (const owner of result.owner) owner.name = names.get(owner.value!) ?? null;
  return result;
}

/** engagement_counts grouped by the facet columns; a row counts where it passes the other facets. */
function countsFromCounters(ctx: ReadContext): FacetCounts {
  const { query } = ctx;
  const counts = emptyFacetCounts();
  const rows = all<Record<FacetKey, string | null> & { n: number }>(
    ctx.db,
    sql`select c.owner_id as owner, c.type, c.status, c.direction, sum(c.n) as n
        from engagement_counts c ${counterWhere(query, [])}
        group by c.owner_id, c.type, c.status, c.direction`,
  );
  for (const row of rows) {
    for (const key of FACET_KEYS) {
      if (FACET_KEYS.every((other) => other === key || passesFacet(query, other, row[other]))) {
        add(counts, key, row[key], row.n);
      }
    }
  }
  return counts;
}

export function facetsFromCounters(ctx: ReadContext): Facets {
  return shapeFacets(ctx, countsFromCounters(ctx), false);
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
    for (const row of walk.rows) add(counts, key, row[key], 1);
  }
  return shapeFacets(ctx, counts, capped);
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
      add(counts, key, row[key], 1);
    });
  }
  return shapeFacets(ctx, counts, walk.capped);
}

/** Counts per facet, each with every filter but its own (Datasette-style). */
export function countFacets(ctx: ReadContext): Facets {
  return countersAnswer(ctx) ? facetsFromCounters(ctx) : facetsFromWalk(ctx, broadWalk(ctx));
}
