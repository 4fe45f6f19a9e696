import { getStore } from "@/db/app-store";
import type { EngagementCursor, EngagementView, Summary } from "@/db/types";
import {
  activityWindow,
  chipRecords,
  hasActiveFilters,
  toEngagementQuery,
  type EngagementFilter,
  type RefFilterKey,
} from "@/lib/filters";

export type EngagementListData = {
  rows: EngagementView[];
  next: EngagementCursor | null;
  /** Whether anything narrows the list beyond what the page itself fixes. */
  active: boolean;
  /** Nothing was ever ingested: the page shows how to send some. */
  nothingAtAll: boolean;
  /** Names of the records the filter chose, for its chips. */
  chipNames: Partial<Record<RefFilterKey, string | null>>;
  /** Count, facets and chart, which stream in after the rows. */
  summary: Promise<Summary>;
};

/** The list page's data: one page of rows now, the summary as it comes. */
export async function loadEngagementList(
  filter: EngagementFilter,
  { locked = [], now }: { locked?: readonly RefFilterKey[]; now: number },
): Promise<EngagementListData> {
  const store = getStore();
  const query = toEngagementQuery(filter, now);
  const page = await store.listEngagements(query);
  const active = hasActiveFilters({
    ...filter,
    ...Object.fromEntries(locked.map((k) => [k, null])),
  });
  const nothingAtAll = page.data.length === 0 && !active && !(await store.hasAnyEngagement());
  const chipNames: EngagementListData["chipNames"] = {};
  for (const { key, model, id } of chipRecords(filter, locked)) {
    const names = await store.namesFor(model, [id], filter.connection);
    chipNames[key] = names.get(id) ?? null;
  }
  // The chart ends at the newest row on screen, or now for oldest-first and empty pages.
  const newest = page.data[0] ? Date.parse(page.data[0].startedAt) : now;
  const anchor = query.newestFirst ? newest : now;
  const summary = nothingAtAll
    ? Promise.reject(new Error("no engagements"))
    : store.summarizeEngagements(query, activityWindow(query, filter.tz, anchor));
  // The parts that await it report a failure; a response cut short before they ran must not
  // turn it into an unhandled rejection that stops the server.
  summary.catch(() => {});
  return { rows: page.data, next: page.next, active, nothingAtAll, chipNames, summary };
}
