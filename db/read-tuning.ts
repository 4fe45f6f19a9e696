import { REFERENCE_ROLES } from "./roles";
import type { EngagementCount, EngagementQuery } from "./types";

/**
 * How a summary trades work for exactness, the same numbers on every engine so both give the
 * same answer to the same query; tests and the benchmark pass their own.
 */
export type SummaryTuning = {
  /** Whether counts and facets may sum engagement_counts instead of reading rows. */
  useCounters: boolean;
  /** Where the counters cannot answer, counting stops after this many matches ("10,000+"). */
  countCap: number;
  /** Where the counters cannot answer, facets and the chart count the newest this many matches. */
  facetSample: number;
};

export const DEFAULT_SUMMARY_TUNING: SummaryTuning = {
  useCounters: true,
  countCap: 10_000,
  facetSample: 2_000,
};

/**
 * Whether engagement_counts holds every dimension the query narrows on: connection, owner,
 * type, status, direction and deleted, but no dates, no text (`searches`) and no record.
 */
export function countersAnswer(query: EngagementQuery, searches: boolean, tuning: SummaryTuning) {
  return (
    tuning.useCounters &&
    !searches &&
    query.fromMs === null &&
    query.toMs === null &&
    REFERENCE_ROLES.every(({ filterKey }) => query[filterKey] === null)
  );
}

/** `n` matches counted up to `cap + 1`: at most `cap`, and whether there were more. */
export function cappedCount(n: number, cap: number): EngagementCount {
  return { count: Math.min(n, cap), capped: n > cap };
}
