import type { EngagementQuery, Facets } from "./types";

/** The list's facets, counted the same on every engine: each with every filter but its own. */

export type FacetKey = "type" | "status" | "direction" | "owner";
export const FACET_KEYS: FacetKey[] = ["type", "status", "direction", "owner"];

/** A row's facet columns (`owner` is its owner id). */
export type FacetRow = Record<FacetKey, string | null>;

export type FacetCounts = Record<FacetKey, Map<string | null, number>>;

/** How many owners the owner facet lists. */
const OWNER_FACET_SIZE = 10;

export function passesFacet(query: EngagementQuery, key: FacetKey, value: string | null) {
  return key === "owner"
    ? query.owner === null || value === query.owner
    : query[key].length === 0 || (value !== null && query[key].includes(value));
}

export function passesAll(query: EngagementQuery, row: FacetRow) {
  return FACET_KEYS.every((key) => passesFacet(query, key, row[key]));
}

/** Whether the query narrows `key` (owner, or a list of values). */
export function narrowsFacet(query: EngagementQuery, key: FacetKey) {
  return key === "owner" ? query.owner !== null : query[key].length > 0;
}

/** The query without its filter on `keys`. */
export function withoutFacets(query: EngagementQuery, keys: FacetKey[]): EngagementQuery {
  const out = { ...query };
  for (const key of keys) {
    if (key === "owner") out.owner = null;
    else out[key] = [];
  }
  return out;
}

export function emptyFacetCounts() {
  return Object.fromEntries(
    FACET_KEYS.map((key) => [key, new Map<string | null, number>()]),
  ) as FacetCounts;
}

export function addFacetCount(counts: FacetCounts, key: FacetKey, value: string | null, n: number) {
  counts[key].set(value, (counts[key].get(value) ?? 0) + n);
}

/** Rows counted by their four facet columns: each facet adds the rows that pass the other three. */
export function foldFacetGroups(
  query: EngagementQuery,
  groups: (FacetRow & { n: number })[],
): FacetCounts {
  const counts = emptyFacetCounts();
  for (const row of groups) {
    for (const key of FACET_KEYS) {
      if (FACET_KEYS.every((other) => other === key || passesFacet(query, other, row[other]))) {
        addFacetCount(counts, key, row[key], row.n);
      }
    }
  }
  return counts;
}

/** Sorted, non-zero values per facet; owners: the busiest, their names left to `nameOwners`. */
export function shapeFacets(counts: FacetCounts, capped: boolean, sampled: number | null): Facets {
  const result = { capped, sampled } as Facets;
  for (const key of FACET_KEYS) {
    result[key] = [...counts[key]]
      .filter(([, count]) => count > 0)
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
  }
  result.owner = result.owner.filter((o) => o.value !== null).slice(0, OWNER_FACET_SIZE);
  return result;
}

export const facetOwnerIds = (facets: Facets) => facets.owner.map((o) => o.value!);

export function nameOwners(facets: Facets, names: Map<string, string | null>): Facets {
  for (const owner of facets.owner) owner.name = names.get(owner.value!) ?? null;
  return facets;
}
