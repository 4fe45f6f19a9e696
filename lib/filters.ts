import { z } from "zod";

/**
 * The engagement list's URL ⇄ filter object, shared by /engagements, the record timelines,
 * `GET /api/engagements` and every link that toggles a filter. Parsing is forgiving: a value
 * that does not fit falls back to "no filter" (never a 500).
 *
 * Dates: `from` / `to` take an ISO date (`2025-03-06`) or date-time. A bare date is a whole
 * calendar day in UTC, unless `tz` names an IANA time zone (`tz=Europe/Madrid`), in which case
 * it is that day there. `to` is inclusive: a bare `to` date runs through the end of that day.
 * A date-time with `Z` or an offset is that instant; without one it is read in `tz` (else UTC).
 * The URL keeps the text as typed, so a shared link means the same days for everyone.
 */

export const DELETED_MODES = ["hide", "include", "only"] as const;
export type DeletedMode = (typeof DELETED_MODES)[number];
export const SORTS = ["startedAt", "-startedAt"] as const;
export type Sort = (typeof SORTS)[number];
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

export const REF_FILTER_KEYS = ["owner", "contact", "company", "opportunity", "user"] as const;
export type RefFilterKey = (typeof REF_FILTER_KEYS)[number];
export const MULTI_KEYS = ["type", "direction", "status"] as const;
export type MultiKey = (typeof MULTI_KEYS)[number];

export type Connection = { connectorId: string; connectionOwnerId: string };
export type Cursor = { startedAt: number; id: number };

export type EngagementFilter = {
  owner: string | null;
  contact: string | null;
  company: string | null;
  opportunity: string | null;
  user: string | null;
  type: string[];
  direction: string[];
  status: string[];
  /** As written in the URL; `range` holds what they mean. */
  from: string | null;
  to: string | null;
  tz: string | null;
  q: string | null;
  connection: Connection | null;
  deleted: DeletedMode;
  sort: Sort;
  limit: number;
  cursor: Cursor | null;
};

export type DateRange = { fromMs: number | null; toMs: number | null };

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
  q: null,
  connection: null,
  deleted: "hide",
  sort: "startedAt",
  limit: DEFAULT_LIMIT,
  cursor: null,
};

type ParamSource =
  URLSearchParams | Record<string, string | string[] | undefined> | null | undefined;

function allValues(source: ParamSource, key: string): string[] {
  if (!source) return [];
  if (source instanceof URLSearchParams) return source.getAll(key);
  const value = source[key];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

const idSchema = z.string().trim().min(1).max(200);
const enumValueSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\w.-]+$/);
const textSchema = z.string().trim().min(1).max(500);
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function one<T>(source: ParamSource, key: string, schema: z.ZodType<T>): T | null {
  const first = allValues(source, key)[0];
  if (first === undefined) return null;
  const parsed = schema.safeParse(first);
  return parsed.success ? parsed.data : null;
}

function many(source: ParamSource, key: string): string[] {
  const out: string[] = [];
  for (const raw of allValues(source, key)) {
    // `type=call,email` is accepted too; the builder writes repeated params.
    for (const part of raw.split(",")) {
      const parsed = enumValueSchema.safeParse(part);
      if (parsed.success && !out.includes(parsed.data)) out.push(parsed.data);
    }
  }
  return out;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds to add to a UTC instant to get the wall-clock time in `tz` at that instant. */
export function timeZoneOffset(utcMs: number, tz: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: tz,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return asUtc - (utcMs - (utcMs % 1000));
}

/** A wall-clock time in `tz` (null: UTC) as an epoch ms instant. */
function wallClockToUtc(wallMs: number, tz: string | null): number {
  if (!tz || tz === "UTC") return wallMs;
  let guess = wallMs - timeZoneOffset(wallMs, tz);
  // A second pass settles instants near a DST change.
  guess = wallMs - timeZoneOffset(guess, tz);
  return guess;
}

const DAY_MS = 86_400_000;

/** One end of a date range as an instant; `end` makes a bare date mean the end of that day. */
export function parseDateBound(
  value: string | null,
  tz: string | null,
  end: boolean,
): number | null {
  if (!value) return null;
  const date = DATE_RE.exec(value);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const wall = Date.UTC(y, m - 1, d);
    const check = new Date(wall);
    if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d)
      return null;
    return end ? wallClockToUtc(wall + DAY_MS, tz) - 1 : wallClockToUtc(wall, tz);
  }
  const dt = DATETIME_RE.exec(value);
  if (!dt) return null;
  if (dt[8]) {
    const ms = Date.parse(value.replace(" ", "T"));
    return Number.isFinite(ms) ? ms : null;
  }
  const [y, mo, d, h, mi, s, frac] = dt.slice(1, 8).map((v) => (v ? Number(v) : 0));
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, frac ? Number(dt[7]!.padEnd(3, "0")) : 0);
  if (!Number.isFinite(wall) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59)
    return null;
  return wallClockToUtc(wall, tz);
}

export function dateRange(filter: Pick<EngagementFilter, "from" | "to" | "tz">): DateRange {
  return {
    fromMs: parseDateBound(filter.from, filter.tz, false),
    toMs: parseDateBound(filter.to, filter.tz, true),
  };
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.startedAt}.${cursor.id}`, "utf8").toString("base64url");
}

export function decodeCursor(value: string | null | undefined): Cursor | null {
  if (!value || value.length > 100) return null;
  const text = Buffer.from(value, "base64url").toString("utf8");
  const match = /^(-?\d{1,16})\.(\d{1,16})$/.exec(text);
  if (!match) return null;
  const cursor = { startedAt: Number(match[1]), id: Number(match[2]) };
  return Number.isSafeInteger(cursor.startedAt) && Number.isSafeInteger(cursor.id) ? cursor : null;
}

export function parseConnection(value: string | null | undefined): Connection | null {
  if (!value) return null;
  const at = value.indexOf(":");
  if (at <= 0 || at === value.length - 1 || value.length > 400) return null;
  return { connectorId: value.slice(0, at), connectionOwnerId: value.slice(at + 1) };
}

export function formatConnection(connection: Connection): string {
  return `${connection.connectorId}:${connection.connectionOwnerId}`;
}

function parseLimit(value: string | undefined): number {
  if (value === undefined || !/^\d{1,6}$/.test(value.trim())) return DEFAULT_LIMIT;
  const n = Number(value);
  if (n < 1) return DEFAULT_LIMIT;
  return Math.min(n, MAX_LIMIT);
}

/** URL search params (a `URLSearchParams` or Next's `searchParams` object) → filter. */
export function parseFilter(source: ParamSource): EngagementFilter {
  const from = one(source, "from", textSchema);
  const to = one(source, "to", textSchema);
  const tzRaw = one(source, "tz", textSchema);
  const tz = tzRaw && isValidTimeZone(tzRaw) ? tzRaw : null;
  const deleted = one(source, "deleted", z.enum(DELETED_MODES)) ?? "hide";
  const sort = one(source, "sort", z.enum(SORTS)) ?? "startedAt";
  return {
    owner: one(source, "owner", idSchema),
    contact: one(source, "contact", idSchema),
    company: one(source, "company", idSchema),
    opportunity: one(source, "opportunity", idSchema),
    user: one(source, "user", idSchema),
    type: many(source, "type"),
    direction: many(source, "direction"),
    status: many(source, "status"),
    from: from && parseDateBound(from, tz, false) !== null ? from : null,
    to: to && parseDateBound(to, tz, true) !== null ? to : null,
    tz,
    q: one(source, "q", textSchema),
    connection: parseConnection(allValues(source, "connection")[0]),
    deleted,
    sort,
    limit: parseLimit(allValues(source, "limit")[0]),
    cursor: decodeCursor(allValues(source, "cursor")[0]),
  };
}

/** Filter → search params, defaults left out, in one canonical order. */
export function toSearchParams(
  filter: EngagementFilter,
  options: { omit?: readonly string[] } = {},
): URLSearchParams {
  const params = new URLSearchParams();
  const omit = new Set(options.omit ?? []);
  const put = (key: string, value: string | null) => {
    if (value !== null && value !== "" && !omit.has(key)) params.append(key, value);
  };
  for (const key of REF_FILTER_KEYS) put(key, filter[key]);
  for (const key of MULTI_KEYS) for (const value of filter[key]) put(key, value);
  put("from", filter.from);
  put("to", filter.to);
  put("tz", filter.tz);
  put("q", filter.q);
  put("connection", filter.connection ? formatConnection(filter.connection) : null);
  put("deleted", filter.deleted === "hide" ? null : filter.deleted);
  put("sort", filter.sort === "startedAt" ? null : filter.sort);
  put("limit", filter.limit === DEFAULT_LIMIT ? null : String(filter.limit));
  put("cursor", filter.cursor ? encodeCursor(filter.cursor) : null);
  return params;
}

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

export type ChipKey = RefFilterKey | MultiKey | "from" | "to" | "q" | "connection" | "deleted";

/** The filter without one chip: a single value of a repeatable key, or the whole key. */
export function removeChip(filter: EngagementFilter, key: ChipKey, value?: string) {
  if ((MULTI_KEYS as readonly string[]).includes(key)) {
    const k = key as MultiKey;
    return withFilter(filter, {
      [k]: value === undefined ? [] : filter[k].filter((v) => v !== value),
    });
  }
  if (key === "deleted") return withFilter(filter, { deleted: "hide" });
  if (key === "from" || key === "to") {
    return withFilter(filter, {
      [key]: null,
      ...(filter[key === "from" ? "to" : "from"] ? {} : { tz: null }),
    });
  }
  return withFilter(filter, { [key]: null });
}

export function nextPage(filter: EngagementFilter, cursor: Cursor): EngagementFilter {
  return { ...filter, cursor };
}

/** Every narrowing filter cleared; page size, sort and time zone kept. */
export function clearFilters(filter: EngagementFilter): EngagementFilter {
  return { ...EMPTY_FILTER, limit: filter.limit, sort: filter.sort, tz: filter.tz };
}

/** Whether anything narrows the list (paging and sort do not). */
export function hasActiveFilters(filter: EngagementFilter): boolean {
  return (
    REF_FILTER_KEYS.some((key) => filter[key] !== null) ||
    MULTI_KEYS.some((key) => filter[key].length > 0) ||
    filter.from !== null ||
    filter.to !== null ||
    filter.q !== null ||
    filter.connection !== null ||
    filter.deleted !== "hide"
  );
}

export const QUICK_RANGES = ["today", "last7", "last30", "thisMonth"] as const;
export type QuickRange = (typeof QUICK_RANGES)[number];
export const QUICK_RANGE_LABELS: Record<QuickRange, string> = {
  today: "Today",
  last7: "Last 7 days",
  last30: "Last 30 days",
  thisMonth: "This month",
};

function isoDay(wallMs: number) {
  return new Date(wallMs).toISOString().slice(0, 10);
}

/** A quick range as bare dates (inclusive), counted in `tz` (else UTC) as of `now`. */
export function quickRange(
  range: QuickRange,
  now: number,
  tz: string | null,
): { from: string; to: string } {
  const wallNow = tz ? now + timeZoneOffset(now, tz) : now;
  const today = wallNow - (((wallNow % DAY_MS) + DAY_MS) % DAY_MS);
  const to = isoDay(today);
  switch (range) {
    case "today":
      return { from: to, to };
    case "last7":
      return { from: isoDay(today - 6 * DAY_MS), to };
    case "last30":
      return { from: isoDay(today - 29 * DAY_MS), to };
    case "thisMonth":
      return { from: `${to.slice(0, 8)}01`, to };
  }
}

/** Which quick range (if any) the filter's dates are, so its link can show as selected. */
export function activeQuickRange(filter: EngagementFilter, now: number): QuickRange | null {
  for (const range of QUICK_RANGES) {
    const { from, to } = quickRange(range, now, filter.tz);
    if (filter.from === from && filter.to === to) return range;
  }
  return null;
}
