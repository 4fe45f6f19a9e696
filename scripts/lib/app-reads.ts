import type { AppDatabase } from "@/db/client";
import {
  activityPerDay,
  countEngagements,
  facetCounts,
  listEngagements,
  summarize,
} from "@/db/queries/engagements";
import { decodeCursor, parseFilter, type EngagementFilter } from "@/lib/filters";

/**
 * The app's own reads, called exactly as the engagements page calls them
 * (components/engagements/engagement-browser.tsx): the URL's params through `parseFilter`, then
 * the page, the total, the facets and the activity chart. Every call site of
 * db/queries/engagements.ts the benchmark makes is here, so a change of their shapes (e.g. a
 * capped count returning `{ count, capped }`, or a sibling function) is adapted in this one place.
 */
export function appReads(db: AppDatabase) {
  return {
    parse: (params: URLSearchParams): EngagementFilter => parseFilter(params),
    page: (filter: EngagementFilter) => listEngagements(db, filter),
    /** The total as a number, and whether it is a lower bound ("10,000+"). */
    count: (filter: EngagementFilter): { count: number; capped: boolean } =>
      countEngagements(db, filter),
    facets: (filter: EngagementFilter) => facetCounts(db, filter),
    /** The chart, anchored as the page anchors it: the newest row on screen (or `now`). */
    activity: (filter: EngagementFilter, now: number) => {
      const first = listEngagements(db, filter).data[0];
      const anchor = first && filter.sort === "startedAt" ? Date.parse(first.startedAt) : now;
      return () => activityPerDay(db, filter, anchor);
    },
    /** What the page reads beside its list (count, facets, chart) in one call, at `anchor`. */
    summary: (filter: EngagementFilter, anchor: number) => summarize(db, filter, anchor),
    /** The filter for the page after `page`, by its keyset cursor. */
    next: (filter: EngagementFilter, page: ReturnType<typeof listEngagements>) => ({
      ...filter,
      cursor: decodeCursor(page.nextCursor),
    }),
  };
}
export type AppReads = ReturnType<typeof appReads>;
