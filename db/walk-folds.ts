import { chartDays, dayOf } from "./activity-days";
import {
  addFacetCount,
  emptyFacetCounts,
  FACET_KEYS,
  narrowsFacet,
  passesAll,
  passesFacet,
  withoutFacets,
  type FacetCounts,
  type FacetKey,
} from "./facets";
import { cappedCount } from "./read-tuning";
import type { Activity, ActivityWindow, EngagementCount, EngagementQuery } from "./types";

/**
 * Where the counters cannot answer, facets and the chart fold a walk of the newest matches:
 * the same folds on every engine, so a sample gives the same numbers whichever read it.
 */

/** The keys and facet columns of a row, which walks and facets read. */
export type WalkRow = {
  id: number;
  started_at: number;
  type: string | null;
  status: string | null;
  direction: string | null;
  owner: string | null;
};

/** The newest `facetSample` matches in the list's own order; `capped`: more matched. */
export type Walk = { rows: WalkRow[]; capped: boolean };

/** Rows read with a limit of `sample + 1`, as a walk. */
export function walkOf(rows: WalkRow[], sample: number): Walk {
  const capped = rows.length > sample;
  return { rows: capped ? rows.slice(0, sample) : rows, capped };
}

/** The query without its four facet dimensions: the set facets and the chart walk once. */
export const broadQuery = (query: EngagementQuery) => withoutFacets(query, FACET_KEYS);

export function hasFacetFilter(query: EngagementQuery) {
  return FACET_KEYS.some((key) => narrowsFacet(query, key));
}

/** Each facet counts the walked rows that pass the other three facets' filters. */
export function foldWalkFacets(query: EngagementQuery, rows: WalkRow[]): FacetCounts {
  const counts = emptyFacetCounts();
  for (const row of rows) {
    const passing = FACET_KEYS.map((key) => passesFacet(query, key, row[key]));
    const failing = passing.filter((p) => !p).length;
    if (failing > 1) continue;
    FACET_KEYS.forEach((key, i) => {
      if (failing === 1 && passing[i]) return;
      addFacetCount(counts, key, row[key], 1);
    });
  }
  return counts;
}

/** The query's own count from a broad walk that read every match (null: it stopped short). */
export function countOfWalk(
  query: EngagementQuery,
  walk: Walk,
  cap: number,
): EngagementCount | null {
  if (walk.capped) return null;
  return cappedCount(walk.rows.filter((row) => passesAll(query, row)).length, cap);
}

/** Whether the broad walk's sample could hold few of a narrowed query's own matches. */
export const needsOwnWalks = (query: EngagementQuery, broad: Walk) =>
  broad.capped && hasFacetFilter(query);

/**
 * Past the sample, a cut of the broad set could hold few of a narrowed query's own matches
 * ("calls 295" beside 3,596 calls): each facet walks the query less that facet instead. Per
 * facet, the query it walks: `query` itself (one walk for all of them), or null for the broad
 * walk already read.
 */
export function ownWalkQueries(query: EngagementQuery): [FacetKey, EngagementQuery | null][] {
  return FACET_KEYS.map((key) => {
    if (!narrowsFacet(query, key)) return [key, query];
    const others = withoutFacets(query, [key]);
    return [key, hasFacetFilter(others) ? others : null];
  });
}

/** Each facet counted from its own walk (`walks` in the order of `ownWalkQueries`). */
export function foldOwnWalks(walks: Walk[]): { counts: FacetCounts; capped: boolean } {
  const counts = emptyFacetCounts();
  FACET_KEYS.forEach((key, i) => {
    for (const row of walks[i]!.rows) addFacetCount(counts, key, row[key], 1);
  });
  return { counts, capped: walks.some((walk) => walk.capped) };
}

function countByDay(chart: ActivityWindow, rows: WalkRow[], keep: (row: WalkRow) => boolean) {
  const byDay = new Map<number, number>();
  for (const row of rows) {
    if (!keep(row)) continue;
    const day = dayOf(chart, row.started_at);
    byDay.set(day, (byDay.get(day) ?? 0) + 1);
  }
  return byDay;
}

/** "count": the walk stopped inside the chart's window, so the query's own count decides. */
export function activityNeeds(chart: ActivityWindow, walk: Walk): "fold" | "count" {
  const oldest = walk.rows[walk.rows.length - 1];
  return walk.capped && oldest && dayOf(chart, oldest.started_at) >= chart.startDay
    ? "count"
    : "fold";
}

/**
 * After "count": under the cap, the days counted "exact"ly; past it, the walk "fold"ed, or for a
 * window wholly older than what the walk read (a deep page's anchor), the window's "own" walk.
 */
export function activityAfterCount(chart: ActivityWindow, walk: Walk, capped: boolean) {
  if (!capped) return "exact";
  return walk.rows[walk.rows.length - 1]!.started_at > chart.toMs ? "own" : "fold";
}

/** The days from the facets' walk; past its sample the oldest days are partial. */
export function foldWalkActivity(
  query: EngagementQuery,
  chart: ActivityWindow,
  walk: Walk,
  sample: number,
): Activity {
  const oldest = walk.rows[walk.rows.length - 1];
  const byDay = countByDay(
    chart,
    walk.rows,
    (row) =>
      row.started_at >= chart.fromMs && row.started_at <= chart.toMs && passesAll(query, row),
  );
  const partialUpTo = walk.capped && oldest ? dayOf(chart, oldest.started_at) : -Infinity;
  const capped = partialUpTo >= chart.startDay;
  return { days: chartDays(chart, byDay, partialUpTo), capped, sampled: capped ? sample : null };
}

/** The window's own newest sample of matches (more matched): the days older than it partial. */
export function foldSampleActivity(chart: ActivityWindow, rows: WalkRow[], sample: number) {
  const byDay = countByDay(chart, rows, () => true);
  return {
    days: chartDays(chart, byDay, Math.min(...byDay.keys())),
    capped: true,
    sampled: sample,
  } satisfies Activity;
}

/** Every match of the window counted: its days exactly. */
export function exactActivity(chart: ActivityWindow, byDay: Map<number, number>): Activity {
  return { days: chartDays(chart, byDay, -Infinity), capped: false, sampled: null };
}

/** Exact days counted from rows already read (a term's whole walk). */
export const exactActivityOf = (chart: ActivityWindow, rows: WalkRow[]) =>
  exactActivity(
    chart,
    countByDay(chart, rows, () => true),
  );
