import type { AppDatabase } from "@/db/sqlite/client";
import { countActivity } from "@/db/sqlite/queries/engagements/activity";
import {
  createReadContext,
  DEFAULT_TUNING,
  type ReadTuning,
} from "@/db/sqlite/queries/engagements/context";
import { countEngagements } from "@/db/sqlite/queries/engagements/counts";
import { countFacets } from "@/db/sqlite/queries/engagements/facets";
import { listEngagements } from "@/db/sqlite/queries/engagements/list";
import { summarize } from "@/db/sqlite/queries/engagements/summary";
import type { Store } from "@/db/store";
import type { EngagementPage } from "@/db/types";
import {
  activityWindow,
  parseFilter,
  toEngagementQuery,
  type EngagementFilter,
} from "@/lib/filters";

/**
 * The app's own reads on SQLite, as the store runs them for the engagements page
 * (lib/engagements/load-engagement-list.ts), synchronously so each can be timed alone: the
 * URL's params through `parseFilter`, then the page, total, facets and chart.
 */
export function appReads(db: AppDatabase, tuning: Partial<ReadTuning> = {}) {
  const context = (filter: EngagementFilter) =>
    createReadContext(db, toEngagementQuery(filter), { ...DEFAULT_TUNING, ...tuning });
  const chart = (filter: EngagementFilter, anchor: number) =>
    activityWindow(toEngagementQuery(filter), filter.tz, anchor);
  return {
    parse: (params: URLSearchParams): EngagementFilter => parseFilter(params),
    page: (filter: EngagementFilter) => listEngagements(context(filter)),
    /** The total as a number, and whether it is a lower bound ("10,000+"). */
    count: (filter: EngagementFilter) => countEngagements(context(filter)),
    facets: (filter: EngagementFilter) => countFacets(context(filter)),
    /** The chart, anchored as the page anchors it: the newest row on screen (or `now`). */
    activity: (filter: EngagementFilter, now: number) => {
      const first = listEngagements(context(filter)).data[0];
      const anchor = first && filter.sort === "startedAt" ? Date.parse(first.startedAt) : now;
      return () => countActivity(context(filter), chart(filter, anchor));
    },
    /** What the page reads beside its list (count, facets, chart) in one call, at `anchor`. */
    summary: (filter: EngagementFilter, anchor: number) =>
      summarize(context(filter), chart(filter, anchor)),
    /** The filter for the page after `page`, by its keyset cursor. */
    next: (filter: EngagementFilter, page: EngagementPage) => ({ ...filter, cursor: page.next }),
  };
}
export type AppReads = ReturnType<typeof appReads>;

/**
 * Where the page's chart ends, as the loader anchors it (lib/engagements/load-engagement-list.ts):
 * the newest row on screen, or `now` for oldest-first and empty pages.
 */
export function chartAnchor(filter: EngagementFilter, page: EngagementPage, now: number) {
  const first = page.data[0];
  return first && toEngagementQuery(filter).newestFirst ? Date.parse(first.startedAt) : now;
}

/**
 * The same reads through a Store (PostgreSQL's, db/pg/store.ts), as the engagements page asks
 * for them: the page, then the count, facets and chart together.
 */
export function storeReads(store: Store) {
  return {
    page: (filter: EngagementFilter) => store.listEngagements(toEngagementQuery(filter)),
    summary: (filter: EngagementFilter, anchor: number) => {
      const query = toEngagementQuery(filter);
      return store.summarizeEngagements(query, activityWindow(query, filter.tz, anchor));
    },
  };
}
export type StoreReads = ReturnType<typeof storeReads>;
