import { z } from "zod";
import { OWNER_MODEL, REFERENCE_ROLES } from "@/db/roles";
import type { RecordModel } from "@/db/models";
import type { DeletedMode, EngagementCursor, EngagementQuery } from "@/db/types";
import { formatConnection, parseConnection } from "./connection";
import { decodeEngagementCursor, encodeEngagementCursor } from "./cursor";
import { dateRange, isValidTimeZone, parseDateBound } from "./dates";
import { intersectRanges, RANGES, resolveRange, type RangeName } from "./ranges";
import {
  buildParams,
  DEFAULT_LIMIT,
  enumValueSchema,
  firstValue,
  idSchema,
  many,
  one,
  parseLimit,
  textSchema,
  type ParamSource,
} from "./params";

/**
 * The engagement list's URL ⇄ filter object, shared by /engagements, the record timelines,
 * `GET /api/engagements` and every link that toggles a filter.
 */

export const DELETED_MODES = ["hide", "include", "only"] as const satisfies DeletedMode[];
export type { DeletedMode };
export const SORTS = ["startedAt", "-startedAt"] as const;
export type Sort = (typeof SORTS)[number];

export const REF_FILTER_KEYS = ["owner", "contact", "company", "opportunity", "user"] as const;
export type RefFilterKey = (typeof REF_FILTER_KEYS)[number];
export const MULTI_KEYS = ["type", "direction", "status"] as const;
export type MultiKey = (typeof MULTI_KEYS)[number];

/** What each reference filter selects, in chip order: the owner, then the roles of db/roles. */
export const REF_FILTERS: readonly { key: RefFilterKey; model: RecordModel; label: string }[] = [
  { key: "owner", model: OWNER_MODEL, label: "Owner" },
  ...REFERENCE_ROLES.map(({ filterKey, model, label }) => ({ key: filterKey, model, label })),
];
export const REF_FILTER: Record<RefFilterKey, (typeof REF_FILTERS)[number]> = Object.fromEntries(
  REF_FILTERS.map((entry) => [entry.key, entry]),
) as never;

/** The URL's filter: what storage is asked (`EngagementQuery`), with dates and cursor as typed. */
export type EngagementFilter = Pick<
  EngagementQuery,
  RefFilterKey | MultiKey | "connection" | "deleted" | "limit"
> & {
  /** As written in the URL; `dateRange` says what they mean. */
  from: string | null;
  to: string | null;
  tz: string | null;
  /** A rolling range (`last7`…), resolved at each request; with `from`/`to`, both apply. */
  range: RangeName | null;
  q: string | null;
  /** `rollup=1` / `rollup=0` as written; null when the URL does not say (a company page rolls up). */
  rollup: boolean | null;
  sort: Sort;
  cursor: EngagementCursor | null;
};

export const EMPTY_FILTER: EngagementFilter = {
  owner: null,
  contact: null,
  company: null,
  opportunity: null,
  user: null,
  type: [],
  direction: [],
  status: [],
  from: null,
  to: null,
  tz: null,
  range: null,
  q: null,
  rollup: null,
  connection: null,
  deleted: "hide",
  sort: "startedAt",
  limit: DEFAULT_LIMIT,
  cursor: null,
};

/** URL search params (a `URLSearchParams` or Next's `searchParams` object) → filter. */
export function parseFilter(source: ParamSource): EngagementFilter {
  const from = one(source, "from", textSchema);
  const to = one(source, "to", textSchema);
  const tzRaw = one(source, "tz", textSchema);
  const tz = tzRaw && isValidTimeZone(tzRaw) ? tzRaw : null;
  return {
    owner: one(source, "owner", idSchema),
    contact: one(source, "contact", idSchema),
    company: one(source, "company", idSchema),
    opportunity: one(source, "opportunity", idSchema),
    user: one(source, "user", idSchema),
    type: many(source, "type", enumValueSchema),
    direction: many(source, "direction", enumValueSchema),
    status: many(source, "status", enumValueSchema),
    from: from && parseDateBound(from, tz, false) !== null ? from : null,
    to: to && parseDateBound(to, tz, true) !== null ? to : null,
    tz,
    range: one(source, "range", z.enum(RANGES)),
    q: one(source, "q", textSchema),
    rollup: parseRollup(firstValue(source, "rollup")),
    connection: parseConnection(firstValue(source, "connection")),
    deleted: one(source, "deleted", z.enum(DELETED_MODES)) ?? "hide",
    sort: one(source, "sort", z.enum(SORTS)) ?? "startedAt",
    limit: parseLimit(firstValue(source, "limit")),
    cursor: decodeEngagementCursor(firstValue(source, "cursor")),
  };
}

/** `1` rolls a company's opportunities' engagements up into its own; `0` keeps them out. */
function parseRollup(value: string | undefined): boolean | null {
  if (value === "1") return true;
  if (value === "0") return false;
  return null;
}

/** Filter → search params, defaults left out, in one canonical order. */
export function toSearchParams(
  filter: EngagementFilter,
  options: { omit?: readonly string[] } = {},
): URLSearchParams {
  return buildParams(
    [
      ...REF_FILTER_KEYS.map((key) => [key, filter[key]] as const),
      ...MULTI_KEYS.flatMap((key) => filter[key].map((value) => [key, value] as const)),
      ["from", filter.from],
      ["to", filter.to],
      ["tz", filter.tz],
      ["range", filter.range],
      ["q", filter.q],
      ["rollup", filter.rollup === null ? null : filter.rollup ? "1" : "0"],
      ["connection", filter.connection && formatConnection(filter.connection)],
      ["deleted", filter.deleted === "hide" ? null : filter.deleted],
      ["sort", filter.sort === "startedAt" ? null : filter.sort],
      ["limit", filter.limit === DEFAULT_LIMIT ? null : String(filter.limit)],
      ["cursor", filter.cursor && encodeEngagementCursor(filter.cursor)],
    ],
    options.omit,
  );
}

/** The instants the filter's dates and rolling range mean at `nowMs`, both applied. */
export function filterInstants(filter: EngagementFilter, nowMs: number) {
  const dates = dateRange(filter);
  return filter.range
    ? intersectRanges(dates, resolveRange(filter.range, nowMs, filter.tz))
    : dates;
}

/**
 * What storage is asked: the dates as instants (a rolling range as of `nowMs`), the cursor as
 * the position to go on after.
 */
export function toEngagementQuery(
  filter: EngagementFilter,
  nowMs: number = Date.now(),
): EngagementQuery {
  const { fromMs, toMs } = filterInstants(filter, nowMs);
  return {
    owner: filter.owner,
    contact: filter.contact,
    company: filter.company,
    opportunity: filter.opportunity,
    user: filter.user,
    type: filter.type,
    direction: filter.direction,
    status: filter.status,
    fromMs,
    toMs,
    text: filter.q,
    rollup: filter.company !== null && filter.rollup === true,
    connection: filter.connection,
    deleted: filter.deleted,
    newestFirst: filter.sort === "startedAt",
    limit: filter.limit,
    after: filter.cursor,
  };
}
