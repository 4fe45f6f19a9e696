import { sql } from "drizzle-orm";
import {
  addFacetCount,
  emptyFacetCounts,
  FACET_KEYS,
  facetOwnerIds,
  foldFacetGroups,
  nameOwners,
  narrowsFacet,
  passesAll,
  shapeFacets,
  withoutFacets,
  type FacetKey,
  type FacetRow,
} from "@/db/facets";
import type { EngagementQuery, Facets } from "@/db/types";
import type { PgDatabase } from "../../client";
import { allRows } from "../rows";
import { whereClause } from "../sql";
import { createReadContext, withQuery, type ReadContext } from "./context";
import { namesFor } from "./resolve";
import { sourceOf } from "./where";

type FacetGroup = FacetRow & { n: number };

const COLUMN: Record<FacetKey, string> = {
  type: "e.type",
  status: "e.status",
  direction: "e.direction",
  owner: "e.owner_id",
};

/** The query's matches counted by the facet columns `keys` (the others null). */
function groupFacets(ctx: ReadContext, keys: FacetKey[]): Promise<FacetGroup[]> {
  const source = sourceOf(ctx);
  const columns = FACET_KEYS.map((key) =>
    keys.includes(key) ? sql.raw(`${COLUMN[key]} as ${key}`) : sql.raw(`null as ${key}`),
  );
  // No key: one row, the count itself.
  const groupBy = keys.length
    ? sql`group by ${sql.join(
        keys.map((key) => sql.raw(COLUMN[key])),
        sql`, `,
      )}`
    : sql``;
  return allRows<FacetGroup>(
    ctx.db,
    sql`select ${sql.join(columns, sql`, `)}, count(*) as n
        from ${source.from} ${whereClause(source.where)} ${groupBy}`,
  );
}

/**
 * Exact counts per facet, each with every filter but its own, and the query's own count. A query
 * narrowing one facet at most is one grouped read of the query less that facet, folded; one
 * narrowing more reads the query less each narrowed facet by itself, so none reads the whole set.
 */
export async function countFacetsAndMatches(ctx: ReadContext) {
  const { query } = ctx;
  const narrowed = FACET_KEYS.filter((key) => narrowsFacet(query, key));
  if (narrowed.length <= 1) {
    const groups = await groupFacets(withQuery(ctx, withoutFacets(query, narrowed)), FACET_KEYS);
    const matched = groups.filter((g) => passesAll(query, g)).reduce((n, g) => n + g.n, 0);
    return { counts: foldFacetGroups(query, groups), matched };
  }
  const rest = FACET_KEYS.filter((key) => !narrowed.includes(key));
  const [own, ...each] = await Promise.all([
    groupFacets(ctx, rest),
    ...narrowed.map((key) => groupFacets(withQuery(ctx, withoutFacets(query, [key])), [key])),
  ]);
  // Each read already holds every filter but the facets it counts.
  const counts = emptyFacetCounts();
  for (const group of own) {
    for (const key of rest) addFacetCount(counts, key, group[key], group.n);
  }
  narrowed.forEach((key, i) => {
    for (const group of each[i]!) addFacetCount(counts, key, group[key], group.n);
  });
  return { counts, matched: own.reduce((n, g) => n + g.n, 0) };
}

/** Facets in the list's shape: sorted, the busiest owners named; exact, so never sampled. */
export async function finishFacets(
  ctx: ReadContext,
  counts: Awaited<ReturnType<typeof countFacetsAndMatches>>["counts"],
): Promise<Facets> {
  const facets = shapeFacets(counts, false, null);
  const names = await namesFor(ctx.db, "genericUser", facetOwnerIds(facets), ctx.query.connection);
  return nameOwners(facets, names);
}

export async function countFacets(db: PgDatabase, query: EngagementQuery): Promise<Facets> {
  const ctx = createReadContext(db, query);
  return finishFacets(ctx, (await countFacetsAndMatches(ctx)).counts);
}
