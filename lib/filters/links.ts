import type { RecordModel } from "@/db/models";
import type { Connection } from "./connection";
import { formatConnection } from "./connection";
import { deliveryFilterParams, type DeliveryFilter } from "./delivery-filter";
import {
  EMPTY_FILTER,
  MULTI_KEYS,
  REF_FILTER_KEYS,
  toSearchParams,
  type EngagementFilter,
  type MultiKey,
  type RefFilterKey,
} from "./engagement-filter";

/** Links between pages and the filter changes they stand for; the URL format is the filters'. */

/**
 * A link to `basePath` with `filter`. `locked` keys belong to the page itself (the contact on
 * /contacts/9001) and never appear in its links.
 */
export function filterHref(
  basePath: string,
  filter: EngagementFilter,
  locked: readonly string[] = [],
): string {
  const query = toSearchParams(filter, { omit: locked }).toString();
  return query ? `${basePath}?${query}` : basePath;
}

/** The CSV export of every row the filter matches (locked keys included: they narrow it too). */
export function engagementsCsvHref(filter: EngagementFilter): string {
  const query = toSearchParams({ ...filter, cursor: null });
  query.set("format", "csv");
  return `/api/engagements?${query}`;
}

/** Any change of filter starts again from the first page. */
export function withFilter(
  filter: EngagementFilter,
  patch: Partial<EngagementFilter>,
): EngagementFilter {
  return { ...filter, cursor: null, ...patch };
}

export function toggleValue(filter: EngagementFilter, key: MultiKey, value: string) {
  const current = filter[key];
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  return withFilter(filter, { [key]: next });
}

export type ChipKey =
  RefFilterKey | MultiKey | "from" | "to" | "range" | "q" | "connection" | "deleted";

/** The filter without one chip: a single value of a repeatable key, or the whole key. */
export function removeChip(filter: EngagementFilter, key: ChipKey, value?: string) {
  if ((MULTI_KEYS as readonly string[]).includes(key)) {
    const k = key as MultiKey;
    return withFilter(filter, {
      [k]: value === undefined ? [] : filter[k].filter((v) => v !== value),
    });
  }
  if (key === "deleted") return withFilter(filter, { deleted: "hide" });
  return withFilter(filter, { [key]: null });
}

/** Every narrowing filter cleared; page size, sort, time zone and the roll-up choice kept. */
export function clearFilters(filter: EngagementFilter): EngagementFilter {
  return {
    ...EMPTY_FILTER,
    limit: filter.limit,
    sort: filter.sort,
    tz: filter.tz,
    rollup: filter.rollup,
  };
}

/** Whether anything narrows the list (paging and sort do not). */
export function hasActiveFilters(filter: EngagementFilter): boolean {
  return (
    REF_FILTER_KEYS.some((key) => filter[key] !== null) ||
    MULTI_KEYS.some((key) => filter[key].length > 0) ||
    filter.from !== null ||
    filter.to !== null ||
    filter.range !== null ||
    filter.q !== null ||
    filter.connection !== null ||
    filter.deleted !== "hide"
  );
}

/** A /deliveries link for a filter with some values changed. */
export function deliveriesHref(
  filter: Partial<DeliveryFilter>,
  changes: Partial<DeliveryFilter> = {},
  options: { cursor?: string } = {},
): string {
  const query = deliveryFilterParams({ ...filter, ...changes }, options).toString();
  return query ? `/deliveries?${query}` : "/deliveries";
}

/** Whether any filter (beyond paging) is set. */
export function hasDeliveryFilter(filter: DeliveryFilter): boolean {
  return Boolean(
    filter.outcome.length ||
    filter.event.length ||
    filter.connection ||
    filter.key ||
    filter.resource ||
    filter.from ||
    filter.to,
  );
}

export const RECORD_PATHS: Record<RecordModel, string> = {
  genericUser: "/users",
  genericContact: "/contacts",
  genericCompany: "/companies",
  crmOpportunity: "/opportunities",
};

/** A record page URL, scoped to the connection the id belongs to. */
export function recordHref(model: RecordModel, id: string, connection?: Connection): string {
  const base = `${RECORD_PATHS[model]}/${encodeURIComponent(id)}`;
  return connection
    ? `${base}?connection=${encodeURIComponent(formatConnection(connection))}`
    : base;
}

/** The engagement list of one connection. */
export function connectionHref(connection: Connection): string {
  return filterHref("/engagements", withFilter(EMPTY_FILTER, { connection }));
}
