import { sql, type SQL } from "drizzle-orm";
import type { AppDatabase } from "@/db/client";
import { loadEngagementFields } from "@/lib/morph/fields";
import { parseId } from "@/lib/parse-id";
import { all, get, pluck, statement } from "./prepared";
import type { DeliveryOutcome, RecordModel, RefRole } from "@/db/schema";
import {
  dateRange,
  encodeCursor,
  timeZoneOffset,
  type Connection,
  type EngagementFilter,
} from "@/lib/filters";

/**
 * Read side of engagements: the list, its count, facets and chart, one engagement whole, and
 * reference resolution. Every query picks the index that answers its filter (see `plan`), so a
 * page costs the same whatever the table size or the page depth (keyset on started_at, id).
 */

export type Ref = {
  model: RecordModel;
  id: string;
  resolved: boolean;
  name: string | null;
  [field: string]: unknown;
};

export type EngagementView = {
  id: string;
  externalId: string;
  connectorId: string;
  connectionOwnerId: string;
  type: string | null;
  direction: string | null;
  status: string | null;
  title: string | null;
  description: string | null;
  startedAt: string;
  endedAt: string | null;
  duration: number | null;
  createdAt: string | null;
  updatedAt: string;
  deletedAt: string | null;
  owner: Ref | null;
  users: Ref[];
  contacts: Ref[];
  companies: Ref[];
  opportunities: Ref[];
  warnings: string[];
};

export type DeliveryTouch = {
  id: number;
  receivedAt: string;
  event: string | null;
  outcome: DeliveryOutcome;
  httpStatus: number;
  idempotencyKey: string | null;
  warnings: string[];
  repeatCount: number;
};

export type EngagementDetail = EngagementView & {
  fields: Record<string, unknown>;
  deliveries: DeliveryTouch[];
};

export const ROLE_MODEL: Record<RefRole, RecordModel> = {
  user: "genericUser",
  contact: "genericContact",
  company: "genericCompany",
  opportunity: "crmOpportunity",
};

const ROLE_LIST: Record<RefRole, "users" | "contacts" | "companies" | "opportunities"> = {
  user: "users",
  contact: "contacts",
  company: "companies",
  opportunity: "opportunities",
};

/** Ref filters that drive a query through engagement_refs, most selective first. */
const REF_DRIVERS: RefRole[] = ["opportunity", "contact", "company", "user"];

/**
 * Above `frequentTerm` full-text matches, sorting every match by date stops being cheap: the
 * term's matches are read in rowid order beside a walk of the other filters' index in date
 * order instead (`walkText`), `walkChunk` keys at a time. Tests lower them to run every
 * strategy against small data.
 */
export const searchTuning = { frequentTerm: 2000, walkFrequentTerms: true, walkChunk: 1000 };

/**
 * Where the counters cannot answer (a date, text or record filter), counting stops after this
 * many matches, so a broad search costs what a narrow one does and never holds the
 * (synchronous) event loop for long. The UI says so: "10,000+".
 */
export const COUNT_CAP = 10_000;

/**
 * Where the counters cannot answer, facets and the chart count the newest this many matches
 * of what they walk (all of them when there are no more); `Facets.sampled` and
 * `Activity.sampled` say when they stopped there.
 */
export const FACET_SAMPLE = 2_000;

/**
 * Tests turn the counters off to check them against counting the rows themselves, and lower
 * the cap and the sample to check what is shown past them.
 */
export const countTuning = { useCounters: true, cap: COUNT_CAP, sample: FACET_SAMPLE };

type EngagementRow = {
  id: number;
  connector_id: string;
  connection_owner_id: string;
  external_id: string;
  type: string | null;
  direction: string | null;
  status: string | null;
  title: string | null;
  description: string | null;
  started_at: number;
  ended_at: number | null;
  duration: number | null;
  owner_id: string | null;
  created_at: number | null;
  updated_at: number;
  deleted_at: number | null;
  warnings: string;
};

const ROW_COLUMN_NAMES = [
  "id",
  "connector_id",
  "connection_owner_id",
  "external_id",
  "type",
  "direction",
  "status",
  "title",
  "description",
  "started_at",
  "ended_at",
  "duration",
  "owner_id",
  "created_at",
  "updated_at",
  "deleted_at",
  "warnings",
];
const ROW_COLUMNS = sql.raw(ROW_COLUMN_NAMES.map((c) => `e.${c}`).join(", "));

/**
 * User text → an FTS5 query that can only mean "all these words": each token is quoted (so
 * `NEAR(`, `-`, `*`, `OR`, `"` are plain text), a trailing `*` on a word keeps prefix search.
 * Returns null when nothing searchable is left.
 */
export function toFtsQuery(text: string | null): string | null {
  if (!text) return null;
  const phrases: string[] = [];
  for (const raw of text.normalize("NFC").split(/\s+/)) {
    const prefix = /\w\*+$/u.test(raw);
    const token = raw.replace(/["*]/g, "");
    if (!/[\p{L}\p{N}]/u.test(token)) continue;
    phrases.push(`"${token}"${prefix ? "*" : ""}`);
    if (phrases.length >= 16) break;
  }
  return phrases.length ? phrases.join(" ") : null;
}

type DeletedScope = "any" | "live" | "deleted";

/**
 * The engagements indexes a walk is forced onto. engagements_started and
 * engagements_owner_started also carry type, status, direction, owner, deleted_at (and the
 * date index the connection), so a walk tests the filter and reads the facets from the
 * index alone; only the rows it returns are read from the table. Tombstones (few) have their
 * own partial index.
 */
type EngagementIndex =
  "engagements_started" | "engagements_owner_started" | "engagements_deleted_started";
type Driver =
  { kind: "fts" } | { kind: "ref"; role: RefRole } | { kind: "index"; index: EngagementIndex };

type Plan = {
  from: SQL;
  where: SQL[];
  /** Columns the keyset order runs on (the driver's copy, so the index walk is the order). */
  startedAt: SQL;
  id: SQL;
};

type PlanOptions = {
  deleted: DeletedScope;
  purpose: "page" | "count";
  /** Extra bounds (the chart's window). */
  range?: { fromMs: number | null; toMs: number | null };
};

function refExists(id: SQL, role: RefRole, refId: string) {
  return sql`exists (select 1 from engagement_refs x where x.engagement_id = ${id} and x.role = ${role} and x.ref_id = ${refId})`;
}

/**
 * Whether engagement_refs row `r` belongs to a tombstone, from the tombstones' small partial
 * index (a ref keeps its engagement's started_at), so a count over refs reads no engagement.
 */
const REF_IS_DELETED = sql`exists (select 1 from engagements d indexed by engagements_deleted_started where d.deleted_at is not null and d.started_at = r.started_at and d.id = r.engagement_id)`;

function inList(column: SQL, values: string[]) {
  return values.length === 1
    ? sql`${column} = ${values[0]}`
    : sql`${column} in (${sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )})`;
}

type TextMode = { fts: string; frequent: boolean } | null;

/** Whether a text filter is answered by walking the date index (a frequent term). */
function walksTerm(text: TextMode): text is NonNullable<TextMode> {
  return text !== null && text.frequent && searchTuning.walkFrequentTerms;
}

function textMode(db: AppDatabase, filter: EngagementFilter): TextMode {
  const fts = toFtsQuery(filter.q);
  if (!fts) return null;
  const probe = get<{ n: number }>(
    db,
    sql`select count(*) as n from (select rowid from engagements_fts where engagements_fts match ${fts} limit ${searchTuning.frequentTerm + 1})`,
  );
  return { fts, frequent: (probe?.n ?? 0) > searchTuning.frequentTerm };
}

function plan(filter: EngagementFilter, text: TextMode, options: PlanOptions): Plan {
  const { owner, type: types, direction: directions, status: statuses } = filter;
  const refFilters = REF_DRIVERS.filter((role) => filter[role] !== null).map((role) => ({
    role,
    refId: filter[role]!,
  }));
  const range = dateRange(filter);
  const fromMs = Math.max(range.fromMs ?? -Infinity, options.range?.fromMs ?? -Infinity);
  const toMs = Math.min(range.toMs ?? Infinity, options.range?.toMs ?? Infinity);

  // Which access path walks the rows: a rare term from the full-text index; a referenced
  // record from engagement_refs' lookup index; else the tombstones', the owner's or the date
  // index (the last two hold every filtered column).
  let driver: Driver;
  const selectiveDriver = refFilters.length > 0 || owner !== null;
  if (text && (!text.frequent || !selectiveDriver)) driver = { kind: "fts" };
  else if (refFilters.length > 0) driver = { kind: "ref", role: refFilters[0].role };
  else if (options.deleted === "deleted")
    driver = { kind: "index", index: "engagements_deleted_started" };
  else if (owner !== null) driver = { kind: "index", index: "engagements_owner_started" };
  else driver = { kind: "index", index: "engagements_started" };

  const engagementId = driver.kind === "ref" ? sql`r.engagement_id` : sql`e.id`;
  // Conditions on the engagement's own columns, and the others.
  const onE: SQL[] = [];
  const other: SQL[] = [];
  if (owner !== null) onE.push(sql`e.owner_id = ${owner}`);
  if (types.length) onE.push(inList(sql`e.type`, types));
  if (directions.length) onE.push(inList(sql`e.direction`, directions));
  if (statuses.length) onE.push(inList(sql`e.status`, statuses));
  if (filter.connection) {
    onE.push(
      sql`e.connector_id = ${filter.connection.connectorId} and e.connection_owner_id = ${filter.connection.connectionOwnerId}`,
    );
  }
  for (const ref of refFilters) {
    if (driver.kind === "ref" && driver.role === ref.role) continue;
    other.push(refExists(engagementId, ref.role, ref.refId));
  }
  if (text && driver.kind !== "fts") {
    other.push(
      sql`${engagementId} in (select rowid from engagements_fts where engagements_fts match ${text.fts})`,
    );
  }
  // A count over refs alone reads no engagement: tombstones come from their own index.
  const joinsE = driver.kind !== "ref" || options.purpose === "page" || onE.length > 0;
  if (options.deleted !== "any") {
    if (joinsE) {
      onE.push(
        options.deleted === "live" ? sql`e.deleted_at is null` : sql`e.deleted_at is not null`,
      );
    } else {
      other.push(options.deleted === "live" ? sql`not ${REF_IS_DELETED}` : REF_IS_DELETED);
    }
  }

  const where: SQL[] = [];
  let from: SQL;
  let startedAt: SQL;
  let id: SQL;
  if (driver.kind === "fts") {
    from = sql`engagements_fts cross join engagements e on e.id = engagements_fts.rowid`;
    where.push(sql`engagements_fts match ${text!.fts}`);
    startedAt = sql`e.started_at`;
    id = sql`e.id`;
  } else if (driver.kind === "ref") {
    const ref = refFilters.find((r) => r.role === driver.role)!;
    // CROSS JOIN keeps engagement_refs as the outer loop: its index is the date order.
    from = joinsE
      ? sql`engagement_refs r indexed by engagement_refs_lookup cross join engagements e on e.id = r.engagement_id`
      : sql`engagement_refs r indexed by engagement_refs_lookup`;
    where.push(sql`r.role = ${ref.role} and r.ref_id = ${ref.refId}`);
    startedAt = sql`r.started_at`;
    id = sql`r.engagement_id`;
  } else {
    from = sql`engagements e indexed by ${sql.raw(driver.index)}`;
    startedAt = sql`e.started_at`;
    id = sql`e.id`;
  }
  if (Number.isFinite(fromMs)) where.push(sql`${startedAt} >= ${fromMs}`);
  if (Number.isFinite(toMs)) where.push(sql`${startedAt} <= ${toMs}`);
  where.push(...onE, ...other);
  return { from, where, startedAt, id };
}

function whereClause(parts: SQL[]) {
  return parts.length ? sql`where ${sql.join(parts, sql` and `)}` : sql``;
}

export type EngagementPage = { data: EngagementView[]; nextCursor: string | null };

/** One page, newest first (or oldest first with `sort=-startedAt`), keyset-paginated. */
export function listEngagements(db: AppDatabase, filter: EngagementFilter): EngagementPage {
  const text = textMode(db, filter);
  const scope = deletedScope(filter);
  const desc = filter.sort === "startedAt";
  const want = filter.limit + 1;
  let rows: EngagementRow[];
  if (walksTerm(text)) {
    rows = rowsByIds(db, walkText(db, filter, text.fts, scope, desc, want));
  } else if (text) {
    // The term's matches sorted by their keys alone; only the page's rows are read whole.
    rows = rowsByIds(db, pageIds(db, filter, text, scope, desc, want));
  } else {
    rows = pageRows<EngagementRow>(db, filter, text, scope, desc, "rows", want);
  }
  const more = rows.length > filter.limit;
  const page = more ? rows.slice(0, filter.limit) : rows;
  const last = page[page.length - 1];
  return {
    data: resolveEngagements(db, page),
    nextCursor: more && last ? encodeCursor({ startedAt: last.started_at, id: last.id }) : null,
  };
}

type KeyRow = { id: number; started_at: number };

/** What a walk returns per row: the row, or its keys and facet columns. */
type Columns = "rows" | "walk";

function columnsOf(p: Plan, columns: Columns) {
  return columns === "rows"
    ? ROW_COLUMNS
    : sql`${p.id} as id, ${p.startedAt} as started_at, e.type as type, e.status as status, e.direction as direction, e.owner_id as owner`;
}

/** The page's query (its rows in page order from the cursor on), selecting `columns`. */
function pageQuery(
  filter: EngagementFilter,
  text: TextMode,
  scope: DeletedScope,
  desc: boolean,
  columns: Columns | "ids",
  limit: number,
  range?: PlanOptions["range"],
): SQL {
  const p = plan(filter, text, { deleted: scope, purpose: "page", range });
  const where = [...p.where];
  if (filter.cursor) {
    const { startedAt, id } = filter.cursor;
    where.push(
      desc
        ? sql`(${p.startedAt}, ${p.id}) < (${startedAt}, ${id})`
        : sql`(${p.startedAt}, ${p.id}) > (${startedAt}, ${id})`,
    );
  }
  const order = desc
    ? sql`order by ${p.startedAt} desc, ${p.id} desc`
    : sql`order by ${p.startedAt} asc, ${p.id} asc`;
  const selected = columns === "ids" ? p.id : columnsOf(p, columns);
  return sql`select ${selected} from ${p.from} ${whereClause(where)} ${order} limit ${limit}`;
}

function pageRows<T>(
  db: AppDatabase,
  filter: EngagementFilter,
  text: TextMode,
  scope: DeletedScope,
  desc: boolean,
  columns: Columns,
  limit: number,
  range?: PlanOptions["range"],
): T[] {
  return all<T>(db, pageQuery(filter, text, scope, desc, columns, limit, range));
}

/** The ids of the page's rows, in page order (a plain array: no object per row). */
function pageIds(
  db: AppDatabase,
  filter: EngagementFilter,
  text: TextMode,
  scope: DeletedScope,
  desc: boolean,
  limit: number,
  range?: PlanOptions["range"],
): number[] {
  return pluck<number>(db, pageQuery(filter, text, scope, desc, "ids", limit, range));
}

const FTS_DOWN =
  "select rowid from engagements_fts where engagements_fts match ? and rowid <= ? order by rowid desc limit ?";
const FTS_UP =
  "select rowid from engagements_fts where engagements_fts match ? and rowid >= ? order by rowid asc limit ?";
const FTS_ALL = "select rowid from engagements_fts where engagements_fts match ?";
const STARTED_AT = "select started_at from engagements where id = ?";

/**
 * The ids of the first `want` rows, in page order, of the filter less its text that match
 * `fts`, without sorting every match: walk the other filters' index in date order (it tests
 * them itself), a chunk of ids at a time, and read the term's matches beside it in rowid order
 * (highest first for a newest-first walk), in growing batches, only as far as the chunk's
 * lowest id. Ids follow time for live traffic, so the two advance together and each match is
 * read once. A chunk holding an id beyond where the matches were first read from (a backfill)
 * reads every match once instead.
 */
function walkText(
  db: AppDatabase,
  filter: EngagementFilter,
  fts: string,
  scope: DeletedScope,
  desc: boolean,
  want: number,
  range?: PlanOptions["range"],
): number[] {
  if (!walks || filter.cursor || !desc)
    return walkTextOnce(db, filter, fts, scope, desc, want, range);
  // Within one `summarize`: the count's walk (to the cap) also answers the sample's.
  const key = JSON.stringify([{ ...filter, limit: 0, sort: null }, fts, scope, range ?? null]);
  const known = walks.get(key);
  if (known && (known.ids.length >= want || known.complete)) return known.ids.slice(0, want);
  const ids = walkTextOnce(db, filter, fts, scope, desc, want, range);
  walks.set(key, { ids, complete: ids.length < want });
  return ids;
}

/** Frequent-term walks already done in the current `summarize` (newest first, no cursor). */
let walks: Map<string, { ids: number[]; complete: boolean }> | null = null;

function walkTextOnce(
  db: AppDatabase,
  filter: EngagementFilter,
  fts: string,
  scope: DeletedScope,
  desc: boolean,
  want: number,
  range?: PlanOptions["range"],
): number[] {
  const picked: number[] = [];
  const read = new Set<number>();
  let every: Set<number> | null = null;
  // Every match from `start` (the first chunk's highest id, newest first) to `edge` is read.
  let start = NaN;
  let edge = NaN;
  let done = false;
  let cursor = filter.cursor;
  let size = searchTuning.walkChunk;
  let batch = searchTuning.walkChunk;
  // Matches per id, from what was read so far: the next batch reads about as many as the
  // chunk's ids need (doubling while that is unknown), not far past them.
  let perId = NaN;
  const readMatches = (bound: number, to: number) => {
    if (!Number.isNaN(perId)) {
      const need = Math.ceil(Math.abs(bound - to + (desc ? 1 : -1)) * perId * 1.25) + 64;
      batch = Math.max(searchTuning.walkChunk, Math.min(need, searchTuning.walkChunk * 32));
    }
    const ids = statement(db, desc ? FTS_DOWN : FTS_UP, "pluck").all(fts, bound, batch) as number[];
    for (const id of ids) read.add(id);
    if (ids.length < batch) done = true;
    else {
      edge = ids[ids.length - 1]!;
      perId = ids.length / (Math.abs(bound - edge) + 1);
    }
    if (Number.isNaN(perId)) batch = Math.min(batch * 2, searchTuning.walkChunk * 32);
  };
  while (picked.length < want) {
    const ids = pageIds(db, { ...filter, q: null, cursor }, null, scope, desc, size, range);
    if (ids.length === 0) break;
    let min = Infinity;
    let max = -Infinity;
    for (const id of ids) {
      if (id < min) min = id;
      if (id > max) max = id;
    }
    if (!every && Number.isNaN(start)) {
      start = edge = desc ? max : min;
      readMatches(start, desc ? min : max);
    }
    if (!every && (desc ? max > start : min < start)) {
      every = new Set(statement(db, FTS_ALL, "pluck").all(fts) as number[]);
    }
    if (!every) {
      while (!done && (desc ? edge >= min : edge <= max)) {
        readMatches(desc ? edge - 1 : edge + 1, desc ? min : max);
      }
    }
    const found = every ?? read;
    for (const id of ids) {
      if (found.has(id) && picked.push(id) >= want) break;
    }
    if (ids.length < size) break;
    const last = ids[ids.length - 1]!;
    const startedAt = statement(db, STARTED_AT, "pluck").get(last) as number;
    cursor = { startedAt, id: last };
    size = Math.min(size * 2, searchTuning.walkChunk * 8);
  }
  return picked;
}

const BY_IDS = "from engagements e where e.id in (select value from json_each(?))";
const ROWS_BY_IDS_SQL = `select ${ROW_COLUMN_NAMES.map((c) => `e.${c}`).join(", ")} ${BY_IDS}`;
const WALK_COLUMNS =
  "e.id as id, e.started_at as started_at, e.type as type, e.status as status, e.direction as direction, e.owner_id as owner";
const WALK_ROWS_BY_IDS_SQL = `select ${WALK_COLUMNS} ${BY_IDS}`;

/** `rows` in the order of `ids` (an id with no row is left out). */
function inOrderOf<T extends { id: number }>(ids: number[], rows: T[]): T[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id)!).filter(Boolean);
}

/** The rows of `ids`, in that order. */
function byIds<T extends { id: number }>(db: AppDatabase, source: string, ids: number[]): T[] {
  if (ids.length === 0) return [];
  return inOrderOf(ids, statement(db, source).all(JSON.stringify(ids)) as T[]);
}

function rowsByIds(db: AppDatabase, ids: number[]): EngagementRow[] {
  return byIds<EngagementRow>(db, ROWS_BY_IDS_SQL, ids);
}

/** Matching rows in one deleted scope, counted up to `limit` (the walk stops there). */
function countUpTo(
  db: AppDatabase,
  filter: EngagementFilter,
  text: TextMode,
  scope: DeletedScope,
  limit: number,
  range?: PlanOptions["range"],
) {
  // A bare full-text count needs no row at all: FTS5 walks its own doclist.
  if (text && scope === "any" && isTextOnly(filter) && !range) {
    return (
      get<{ n: number }>(
        db,
        sql`select count(*) as n from (select 1 from engagements_fts where engagements_fts match ${text.fts} limit ${limit})`,
      )?.n ?? 0
    );
  }
  if (walksTerm(text)) {
    return walkText(db, { ...filter, cursor: null }, text.fts, scope, true, limit, range).length;
  }
  // The page's index: it finds the first matches soonest.
  const p = plan(filter, text, { deleted: scope, purpose: "count", range });
  return (
    get<{ n: number }>(
      db,
      sql`select count(*) as n from (select 1 from ${p.from} ${whereClause(p.where)} limit ${limit})`,
    )?.n ?? 0
  );
}

export type EngagementCount = {
  count: number;
  /** More than `count` match: only the first `countTuning.cap` were counted. */
  capped: boolean;
};

/**
 * Counts rows up to the cap, in the filter's own deleted scope: "all minus tombstones" (see
 * `countPasses`) would walk every match to find the few tombstones, which no cap bounds.
 */
function countRows(
  db: AppDatabase,
  filter: EngagementFilter,
  text: TextMode,
  range?: PlanOptions["range"],
): EngagementCount {
  const cap = countTuning.cap;
  const capAt = (n: number) => ({ count: Math.min(n, cap), capped: n > cap });
  return capAt(countUpTo(db, filter, text, deletedScope(filter), cap + 1, range));
}

function deletedScope(filter: EngagementFilter): DeletedScope {
  return filter.deleted === "hide" ? "live" : filter.deleted === "only" ? "deleted" : "any";
}

function isTextOnly(filter: EngagementFilter) {
  return (
    !filter.owner &&
    !filter.contact &&
    !filter.company &&
    !filter.opportunity &&
    !filter.user &&
    !filter.type.length &&
    !filter.direction.length &&
    !filter.status.length &&
    !filter.from &&
    !filter.to &&
    !filter.connection
  );
}

/**
 * Whether every dimension the filter narrows on is one engagement_counts holds (connection,
 * owner, type, status, direction, deleted): then counts and facets sum its few thousand rows
 * instead of reading engagements. A date range, text or a referenced record needs the rows.
 */
function countersAnswer(filter: EngagementFilter, text: TextMode) {
  const range = dateRange(filter);
  return (
    countTuning.useCounters &&
    text === null &&
    range.fromMs === null &&
    range.toMs === null &&
    REF_DRIVERS.every((role) => filter[role] === null)
  );
}

/** The filter on engagement_counts (`c`): connection, deleted, and the facets named in `dims`. */
function counterWhere(filter: EngagementFilter, dims: FacetKey[]) {
  const where: SQL[] = [];
  if (filter.connection) {
    where.push(
      sql`c.connector_id = ${filter.connection.connectorId} and c.connection_owner_id = ${filter.connection.connectionOwnerId}`,
    );
  }
  if (filter.deleted === "hide") where.push(sql`c.deleted = 0`);
  if (filter.deleted === "only") where.push(sql`c.deleted = 1`);
  if (dims.includes("owner") && filter.owner !== null)
    where.push(sql`c.owner_id = ${filter.owner}`);
  for (const key of ["type", "status", "direction"] as const) {
    if (dims.includes(key) && filter[key].length)
      where.push(inList(sql.raw(`c.${key}`), filter[key]));
  }
  return whereClause(where);
}

/**
 * The passes of every row count under the deleted filter. Hidden-deleted is "all matching" minus
 * "deleted matching": the first is a covering index count, the second walks the few tombstones,
 * so neither reads every live row to check `deleted_at`.
 */
function countPasses(filter: EngagementFilter): [DeletedScope, sign: number][] {
  if (filter.deleted === "only") return [["deleted", 1]];
  if (filter.deleted === "include") return [["any", 1]];
  return [
    ["any", 1],
    ["deleted", -1],
  ];
}

/**
 * How many engagements match: exactly from engagement_counts when it holds every filtered
 * dimension, else by counting rows up to `countTuning.cap` (`capped` when there are more).
 */
export function countEngagements(db: AppDatabase, filter: EngagementFilter): EngagementCount {
  const text = textMode(db, filter);
  if (countersAnswer(filter, text)) {
    const n =
      get<{ n: number }>(
        db,
        sql`select coalesce(sum(c.n), 0) as n from engagement_counts c ${counterWhere(filter, FACET_KEYS)}`,
      )?.n ?? 0;
    return { count: n, capped: false };
  }
  return countRows(db, filter, text);
}

export type FacetValue = { value: string | null; count: number; name?: string | null };
export type Facets = {
  type: FacetValue[];
  status: FacetValue[];
  direction: FacetValue[];
  owner: FacetValue[];
  /** Some facet counts only the newest `sampled` of its matches. */
  capped: boolean;
  /** How many of the newest matches the facets were counted among when `capped`, else null. */
  sampled: number | null;
};

type FacetKey = "type" | "status" | "direction" | "owner";
const FACET_KEYS: FacetKey[] = ["type", "status", "direction", "owner"];

/**
 * Counts per type, status, direction and owner under the current filter. Each facet leaves
 * its own dimension out (Datasette-style), so choosing "call" still shows how many emails
 * there are to add. From the counters when they answer, else from one walk of the filter's
 * newest matches without the four facet dimensions (see `broadWalk`). Owners: the 10 busiest,
 * with names.
 */
export function facetCounts(db: AppDatabase, filter: EngagementFilter): Facets {
  const text = textMode(db, filter);
  return countersAnswer(filter, text)
    ? shapeFacets(db, filter, facetCountsFromCounters(db, filter), false)
    : facetsFromWalk(db, filter, broadWalk(db, filter, text), text);
}

function shapeFacets(
  db: AppDatabase,
  filter: EngagementFilter,
  counts: FacetCounts,
  capped: boolean,
): Facets {
  const result = { capped, sampled: capped ? countTuning.sample : null } as Facets;
  for (const key of FACET_KEYS) {
    result[key] = [...counts[key]]
      .filter(([, count]) => count > 0)
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
  }
  result.owner = result.owner.filter((o) => o.value !== null).slice(0, 10);
  const names = namesFor(
    db,
    "genericUser",
    result.owner.map((o) => o.value!),
    filter.connection,
  );
  for (const owner of result.owner) owner.name = names.get(owner.value!) ?? null;
  return result;
}

/** Whether a facet value passes the filter's own choice on that facet. */
function passesFacet(filter: EngagementFilter, key: FacetKey, value: string | null) {
  return key === "owner"
    ? filter.owner === null || value === filter.owner
    : filter[key].length === 0 || (value !== null && filter[key].includes(value));
}

type FacetCounts = Record<FacetKey, Map<string | null, number>>;

function emptyFacetCounts() {
  return Object.fromEntries(
    FACET_KEYS.map((key) => [key, new Map<string | null, number>()]),
  ) as FacetCounts;
}

/**
 * One pass over engagement_counts grouped by the four facet columns (connection and deleted
 * applied in SQL), folded here: each row counts towards a facet when it passes the other
 * facets' filters.
 */
function facetCountsFromCounters(db: AppDatabase, filter: EngagementFilter): FacetCounts {
  const counts = emptyFacetCounts();
  const rows = all<Record<FacetKey, string | null> & { n: number }>(
    db,
    sql`select c.owner_id as owner, c.type, c.status, c.direction, sum(c.n) as n
        from engagement_counts c ${counterWhere(filter, [])}
        group by c.owner_id, c.type, c.status, c.direction`,
  );
  for (const row of rows) {
    for (const key of FACET_KEYS) {
      if (!FACET_KEYS.every((other) => other === key || passesFacet(filter, other, row[other])))
        continue;
      counts[key].set(row[key], (counts[key].get(row[key]) ?? 0) + row.n);
    }
  }
  return counts;
}

type WalkRow = Record<FacetKey, string | null> & KeyRow;

/**
 * The newest `countTuning.sample` matches of a filter, newest first (all of them when there are
 * no more), read once in the list's own order (its index, or its frequent-term walk); `capped`:
 * more matched, so counts past the oldest row read are partial.
 */
type Walk = { rows: WalkRow[]; capped: boolean };

function newestWalk(
  db: AppDatabase,
  filter: EngagementFilter,
  text: TextMode,
  range?: PlanOptions["range"],
): Walk {
  const sample = countTuning.sample;
  const rows = newestMatches(db, { ...filter, cursor: null }, text, range, sample + 1);
  const capped = rows.length > sample;
  return { rows: capped ? rows.slice(0, sample) : rows, capped };
}

/**
 * The filter without its four facet dimensions (type, status, direction, owner), walked once:
 * every facet and the chart are folded from these rows in JS.
 */
function broadWalk(db: AppDatabase, filter: EngagementFilter, text: TextMode): Walk {
  return newestWalk(db, broadFilter(filter), text);
}

function broadFilter(filter: EngagementFilter): EngagementFilter {
  return { ...filter, owner: null, type: [], status: [], direction: [] };
}

function passesAll(filter: EngagementFilter, row: WalkRow) {
  return FACET_KEYS.every((key) => passesFacet(filter, key, row[key]));
}

function withoutFacet(filter: EngagementFilter, key: FacetKey): EngagementFilter {
  return key === "owner" ? { ...filter, owner: null } : { ...filter, [key]: [] };
}

function hasFacetFilter(filter: EngagementFilter) {
  return (
    filter.owner !== null || filter.type.length + filter.status.length + filter.direction.length > 0
  );
}

/**
 * Facets when the broad set is past the sample but the filter narrows by facets: a cut of the
 * broad set could hold few of the filter's own matches ("calls 295" beside 3,596 calls). Each
 * facet walks its own filter instead (the filter less that facet; the broad walk when that is
 * all the filter narrows by), so a filter under the sample gets exact facets and a larger one
 * counts its own newest matches.
 */
function facetsFromOwnWalks(
  db: AppDatabase,
  filter: EngagementFilter,
  text: TextMode,
  broad: Walk,
): Facets {
  const counts = emptyFacetCounts();
  let capped = false;
  let own: Walk | null = null;
  for (const key of FACET_KEYS) {
    const narrowed = key === "owner" ? filter.owner !== null : filter[key].length > 0;
    let walk: Walk;
    if (!narrowed) walk = own ??= newestWalk(db, filter, text);
    else {
      const others = withoutFacet(filter, key);
      walk = hasFacetFilter(others) ? newestWalk(db, others, text) : broad;
    }
    if (walk.capped) capped = true;
    for (const row of walk.rows) counts[key].set(row[key], (counts[key].get(row[key]) ?? 0) + 1);
  }
  return shapeFacets(db, filter, counts, capped);
}

/** Each facet counts the walked rows that pass the other three facets' filters. */
function facetsFromWalk(
  db: AppDatabase,
  filter: EngagementFilter,
  walk: Walk,
  text: TextMode,
): Facets {
  if (walk.capped && hasFacetFilter(filter)) return facetsFromOwnWalks(db, filter, text, walk);
  const counts = emptyFacetCounts();
  for (const row of walk.rows) {
    const passing = FACET_KEYS.map((key) => passesFacet(filter, key, row[key]));
    const failing = passing.filter((p) => !p).length;
    if (failing > 1) continue;
    FACET_KEYS.forEach((key, i) => {
      if (failing === 1 && passing[i]) return;
      counts[key].set(row[key], (counts[key].get(row[key]) ?? 0) + 1);
    });
  }
  return shapeFacets(db, filter, counts, walk.capped);
}

/**
 * The newest `limit` matches (newest first, as the list shows them): their keys and facet
 * columns, walking the index the list's page walks (for a frequent term, its walk).
 */
function newestMatches(
  db: AppDatabase,
  filter: EngagementFilter,
  text: TextMode,
  range: PlanOptions["range"] | undefined,
  limit: number,
): WalkRow[] {
  const scope = deletedScope(filter);
  if (walksTerm(text)) {
    return walkRows(db, filter, scope, walkText(db, filter, text.fts, scope, true, limit, range));
  }
  return pageRows<WalkRow>(db, filter, text, scope, true, "walk", limit, range);
}

const WALK_ROWS_IN_RANGE = `select ${WALK_COLUMNS} from engagements e indexed by engagements_started
  where e.started_at between ? and ? and e.id in (select value from json_each(?))`;
const WALK_ROWS_IN_OWNER_RANGE = `select ${WALK_COLUMNS} from engagements e indexed by engagements_owner_started
  where e.owner_id = ? and e.started_at between ? and ? and e.id in (select value from json_each(?))`;

/**
 * The facet columns of a walk's ids (newest first), in that order. Where the walk ran on the
 * date or owner index, that index holds them: one scan of the dates the ids span, no row read;
 * else (a referenced record's or the tombstones' walk) each row is read.
 */
function walkRows(
  db: AppDatabase,
  filter: EngagementFilter,
  scope: DeletedScope,
  ids: number[],
): WalkRow[] {
  const onIndex = scope !== "deleted" && REF_DRIVERS.every((role) => filter[role] === null);
  if (!onIndex || ids.length < 2) return byIds<WalkRow>(db, WALK_ROWS_BY_IDS_SQL, ids);
  const startedAt = statement(db, STARTED_AT, "pluck");
  const newest = startedAt.get(ids[0]) as number;
  const oldest = startedAt.get(ids[ids.length - 1]) as number;
  const json = JSON.stringify(ids);
  const rows = (
    filter.owner !== null
      ? statement(db, WALK_ROWS_IN_OWNER_RANGE).all(filter.owner, oldest, newest, json)
      : statement(db, WALK_ROWS_IN_RANGE).all(oldest, newest, json)
  ) as WalkRow[];
  return inOrderOf(ids, rows);
}

const DAY_MS = 86_400_000;

/** `partial`: the day is older than the newest `sampled` matches, or holds the oldest. */
export type ActivityDay = { day: string; count: number; partial?: true };

export type Activity = {
  days: ActivityDay[];
  /** More matches in the window than were counted: the oldest days are `partial`. */
  capped: boolean;
  /** How many of the newest matches the days were counted from when `capped`, else null. */
  sampled: number | null;
};

type ChartWindow = {
  offset: number;
  startDay: number;
  endDay: number;
  dayOf: (ms: number) => number;
  window: { fromMs: number; toMs: number };
};

function chartWindow(filter: EngagementFilter, anchorMs: number): ChartWindow {
  const range = dateRange(filter);
  const offset = filter.tz ? timeZoneOffset(anchorMs, filter.tz) : 0;
  const dayOf = (ms: number) => Math.floor((ms + offset) / DAY_MS);
  const endDay = dayOf(range.toMs ?? anchorMs);
  let startDay = range.fromMs !== null ? dayOf(range.fromMs) : endDay - 29;
  startDay = Math.max(startDay, endDay - 91);
  const window = { fromMs: startDay * DAY_MS - offset, toMs: (endDay + 1) * DAY_MS - offset - 1 };
  return { offset, startDay, endDay, dayOf, window };
}

function chartDays(chart: ChartWindow, byDay: Map<number, number>, partialUpTo: number) {
  const days: ActivityDay[] = [];
  for (let day = chart.startDay; day <= chart.endDay; day++) {
    days.push({
      day: new Date(day * DAY_MS).toISOString().slice(0, 10),
      count: byDay.get(day) ?? 0,
      ...(day <= partialUpTo ? { partial: true as const } : {}),
    });
  }
  return days;
}

/**
 * Engagements per day for the chart: over the filter's own dates when it has both ends (at
 * most 92 days shown), else the 30 days up to `anchorMs` (the newest row on screen). Days are
 * UTC days, or days in `tz` when the filter names one. Where the counters cannot answer, the
 * days come from the facets' walk (`broadWalk`): past its sample, days from the oldest row it
 * read back are partial, unless the filter itself has at most `countTuning.cap` matches
 * (then its window is counted exactly).
 */
export function activityPerDay(
  db: AppDatabase,
  filter: EngagementFilter,
  anchorMs: number,
): Activity {
  const text = textMode(db, filter);
  return countersAnswer(filter, text)
    ? activityFromCounts(db, filter, text, chartWindow(filter, anchorMs))
    : activityFromWalk(
        db,
        filter,
        text,
        chartWindow(filter, anchorMs),
        broadWalk(db, filter, text),
        () => countRows(db, filter, text),
      );
}

/**
 * Every match in the window counted exactly: the counters' filters (bounded by the days), or
 * a filter known to have at most `countTuning.cap` matches there.
 */
function activityFromCounts(
  db: AppDatabase,
  filter: EngagementFilter,
  text: TextMode,
  chart: ChartWindow,
): Activity {
  if (walksTerm(text)) {
    const scope = deletedScope(filter);
    const ids = walkText(
      db,
      { ...filter, cursor: null },
      text.fts,
      scope,
      true,
      Infinity,
      chart.window,
    );
    const byDay = countByDay(chart, walkRows(db, filter, scope, ids));
    return { days: chartDays(chart, byDay, -Infinity), capped: false, sampled: null };
  }
  const byDay = new Map<number, number>();
  const dayOfRow = (startedAt: SQL) =>
    sql`cast((${startedAt} + ${chart.offset}) / ${DAY_MS} as integer)`;
  for (const [scope, sign] of countPasses(filter)) {
    const p = plan(filter, text, { deleted: scope, purpose: "count", range: chart.window });
    const rows = all<{ day: number; n: number }>(
      db,
      sql`select ${dayOfRow(p.startedAt)} as day, count(*) as n from ${p.from} ${whereClause(p.where)} group by day`,
    );
    for (const r of rows) byDay.set(Number(r.day), (byDay.get(Number(r.day)) ?? 0) + sign * r.n);
  }
  return { days: chartDays(chart, byDay, -Infinity), capped: false, sampled: null };
}

/** Rows per chart day, of those `keep` accepts. */
function countByDay<T extends { started_at: number }>(
  chart: ChartWindow,
  rows: T[],
  keep: (row: T) => boolean = () => true,
): Map<number, number> {
  const byDay = new Map<number, number>();
  for (const row of rows) {
    if (!keep(row)) continue;
    const day = chart.dayOf(row.started_at);
    byDay.set(day, (byDay.get(day) ?? 0) + 1);
  }
  return byDay;
}

function activityFromWalk(
  db: AppDatabase,
  filter: EngagementFilter,
  text: TextMode,
  chart: ChartWindow,
  walk: Walk,
  ownCount: () => EngagementCount,
): Activity {
  const oldest = walk.rows[walk.rows.length - 1];
  if (walk.capped && oldest && chart.dayOf(oldest.started_at) >= chart.startDay) {
    // The walk stopped inside the window. A filter with at most `countTuning.cap` matches of
    // its own (its count walked them already) is counted exactly rather than shown partial.
    if (!ownCount().capped) return activityFromCounts(db, filter, text, chart);
    // A window wholly older than what the walk read (a deep page's anchor): its own walk.
    if (oldest.started_at > chart.window.toMs) return activityFromOwnWalk(db, filter, text, chart);
  }
  const byDay = countByDay(
    chart,
    walk.rows,
    (row) =>
      row.started_at >= chart.window.fromMs &&
      row.started_at <= chart.window.toMs &&
      passesAll(filter, row),
  );
  const partialUpTo = walk.capped && oldest ? chart.dayOf(oldest.started_at) : -Infinity;
  const capped = partialUpTo >= chart.startDay;
  return {
    days: chartDays(chart, byDay, partialUpTo),
    capped,
    sampled: capped ? countTuning.sample : null,
  };
}

/** The window's own newest `countTuning.sample` matches, or all of them counted exactly. */
function activityFromOwnWalk(
  db: AppDatabase,
  filter: EngagementFilter,
  text: TextMode,
  chart: ChartWindow,
): Activity {
  if (!countRows(db, filter, text, chart.window).capped) {
    return activityFromCounts(db, filter, text, chart);
  }
  const byDay = countByDay(chart, newestWalk(db, filter, text, chart.window).rows);
  return {
    days: chartDays(chart, byDay, Math.min(...byDay.keys())),
    capped: true,
    sampled: countTuning.sample,
  };
}

export type Summary = { count: EngagementCount; facets: Facets; activity: Activity };

/**
 * What the engagements page shows beside its list, from one read of the rows where the
 * counters cannot answer: the facets and the chart fold one `broadWalk`, and the count comes
 * from it too unless the walk stopped at its sample (then a capped count of the filter's own).
 */
export function summarize(db: AppDatabase, filter: EngagementFilter, anchorMs: number): Summary {
  const text = textMode(db, filter);
  const chart = chartWindow(filter, anchorMs);
  if (countersAnswer(filter, text)) {
    return {
      count: countEngagements(db, filter),
      facets: shapeFacets(db, filter, facetCountsFromCounters(db, filter), false),
      activity: activityFromCounts(db, filter, text, chart),
    };
  }
  walks = new Map();
  try {
    // A frequent term's count walks first: the facets' sample is its beginning.
    const counted = walksTerm(text) ? countRows(db, filter, text) : null;
    const walk = broadWalk(db, filter, text);
    const matched = walk.capped ? 0 : walk.rows.filter((row) => passesAll(filter, row)).length;
    const count =
      counted ??
      (walk.capped
        ? countRows(db, filter, text)
        : { count: Math.min(matched, countTuning.cap), capped: matched > countTuning.cap });
    return {
      count,
      facets: facetsFromWalk(db, filter, walk, text),
      activity: activityFromWalk(db, filter, text, chart, walk, () => count),
    };
  } finally {
    walks = null;
  }
}

/** Whether anything at all was ever ingested (the "nothing yet" empty state). */
export function hasAnyEngagement(db: AppDatabase): boolean {
  return (
    get<{ n: number }>(db, sql`select count(*) as n from (select 1 from engagements limit 1)`)!.n >
    0
  );
}

export function getEngagement(db: AppDatabase, id: number | string): EngagementDetail | null {
  const numeric = typeof id === "number" ? id : parseId(id);
  if (numeric === null || !Number.isSafeInteger(numeric)) return null;
  const row = get<EngagementRow & { fields: string }>(
    db,
    sql`select ${ROW_COLUMNS}, e.fields from engagements e where e.id = ${numeric}`,
  );
  if (!row) return null;
  const [view] = resolveEngagements(db, [row]);
  const deliveries = all<{
    id: number;
    received_at: number;
    event: string | null;
    outcome: DeliveryOutcome;
    http_status: number;
    idempotency_key: string | null;
    warnings: string;
    repeat_count: number;
  }>(
    db,
    sql`select id, received_at, event, outcome, http_status, idempotency_key, warnings, repeat_count
        from deliveries where engagement_id = ${numeric} order by id`,
  );
  return {
    ...view,
    fields: loadEngagementFields(parseJson(row.fields, null), {
      ...view,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      ownerId: row.owner_id,
      refs: {
        users: view.users.map((ref) => ref.id),
        contacts: view.contacts.map((ref) => ref.id),
        companies: view.companies.map((ref) => ref.id),
        opportunities: view.opportunities.map((ref) => ref.id),
      },
    }),
    deliveries: deliveries.map((d) => ({
      id: d.id,
      receivedAt: new Date(d.received_at).toISOString(),
      event: d.event,
      outcome: d.outcome,
      httpStatus: d.http_status,
      idempotencyKey: d.idempotency_key,
      warnings: parseJson(d.warnings, []),
      repeatCount: d.repeat_count,
    })),
  };
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * One reference (or owner) of a page's engagement with the record it names, if any: the
 * resolution statement's row, as an array (`raw`), in this column order.
 */
type ResolvedRow = [
  engagementId: number,
  /** null for the owner. */
  role: RefRole | null,
  refId: string,
  position: number,
  /** The record's rowid, null when no record of that id exists in the connection. */
  recordId: number | null,
  name: string | null,
  email: string | null,
  phone: string | null,
  fields: string | null,
  contentHash: string | null,
  deletedAt: number | null,
];

const ROLE_MODEL_SQL = `case x.role ${Object.entries(ROLE_MODEL)
  .map(([role, model]) => `when '${role}' then '${model}'`)
  .join(" ")} end`;

/**
 * Every owner and reference of the engagements whose ids are in the JSON array `?`, each with
 * the record it names in the engagement's own connection (tenants never mix): one statement of
 * fixed shape, whatever the page size.
 */
const RESOLVE_SQL = `
select e.id, null, e.owner_id, 0, r.id, r.name, r.email, r.phone, r.fields, r.content_hash, r.deleted_at
  from json_each(?) j cross join engagements e on e.id = j.value
  left join records r on r.connector_id = e.connector_id and r.connection_owner_id = e.connection_owner_id
    and r.model = 'genericUser' and r.external_id = e.owner_id
  where e.owner_id is not null
union all
select x.engagement_id, x.role, x.ref_id, x.position, r.id, r.name, r.email, r.phone, r.fields, r.content_hash, r.deleted_at
  from json_each(?) j cross join engagements e on e.id = j.value
  cross join engagement_refs x on x.engagement_id = e.id
  left join records r on r.connector_id = e.connector_id and r.connection_owner_id = e.connection_owner_id
    and r.model = ${ROLE_MODEL_SQL} and r.external_id = x.ref_id`;

const PRIMITIVE = new Set(["string", "number", "boolean"]);

/**
 * A Ref from its resolution row: unknown, or known only from a delete that arrived before any
 * snapshot (unresolved); else the record's primitive fields (amount, currency, stage…) beside
 * the typed ones. Same keys in the same order as spreading the parsed fields first.
 */
function refFromRow(model: RecordModel, id: string, row: ResolvedRow): Ref {
  const [, , , , recordId, name, email, phone, fields, contentHash, deletedAt] = row;
  if (recordId === null || contentHash === "") {
    return recordId === null
      ? { model, id, resolved: false, name: null }
      : { model, id, resolved: false, name: null, deleted: true };
  }
  const ref = {} as Ref;
  if (fields && fields !== "{}") {
    const parsed = parseJson<Record<string, unknown>>(fields, {});
    for (const key in parsed) {
      if (PRIMITIVE.has(typeof parsed[key])) ref[key] = parsed[key];
    }
  }
  if (email !== null) ref.email = email;
  if (phone !== null) ref.phone = phone;
  if (deletedAt !== null) ref.deleted = true;
  ref.model = model;
  ref.id = id;
  ref.resolved = true;
  ref.name = name;
  return ref;
}

const EMPTY_WARNINGS = "[]";

/**
 * Engagement rows → the API shape with every reference resolved: one statement (prepared once
 * per connection) for the owners, the refs of all rows and the records they name. A record
 * named by several refs of the page is read from its row once and copied.
 */
function resolveEngagements(db: AppDatabase, rows: EngagementRow[]): EngagementView[] {
  if (rows.length === 0) return [];
  const ids = JSON.stringify(rows.map((r) => r.id));
  const resolved = statement(db, RESOLVE_SQL, "raw").all(ids, ids) as ResolvedRow[];
  const byEngagement = new Map<number, ResolvedRow[]>();
  for (const row of resolved) {
    const list = byEngagement.get(row[0]);
    if (list) list.push(row);
    else byEngagement.set(row[0], [row]);
  }
  // One Ref per record (and model, id) of the page; each use gets its own copy.
  const refs = new Map<string, Ref>();
  const refOf = (model: RecordModel, row: ResolvedRow): Ref => {
    if (row[4] === null) return refFromRow(model, row[2], row);
    const key = `${row[4]}:${model}:${row[2]}`;
    let ref = refs.get(key);
    if (!ref) {
      ref = refFromRow(model, row[2], row);
      refs.set(key, ref);
      return ref;
    }
    return { ...ref };
  };
  return rows.map((row) => {
    const view: EngagementView = {
      id: String(row.id),
      externalId: row.external_id,
      connectorId: row.connector_id,
      connectionOwnerId: row.connection_owner_id,
      type: row.type,
      direction: row.direction,
      status: row.status,
      title: row.title,
      description: row.description,
      startedAt: iso(row.started_at)!,
      endedAt: iso(row.ended_at),
      duration: row.duration,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at)!,
      deletedAt: iso(row.deleted_at),
      owner: null,
      users: [],
      contacts: [],
      companies: [],
      opportunities: [],
      warnings: row.warnings === EMPTY_WARNINGS ? [] : parseJson<string[]>(row.warnings, []),
    };
    const mine = byEngagement.get(row.id);
    if (mine) {
      // Refs in role order, then position (the refs' stored order).
      if (mine.length > 1) mine.sort((a, b) => a[3] - b[3]);
      for (const ref of mine) {
        if (ref[1] === null) view.owner = refOf("genericUser", ref);
        else view[ROLE_LIST[ref[1]]].push(refOf(ROLE_MODEL[ref[1]], ref));
      }
    }
    return view;
  });
}

/** Display names for ids of one model, preferring the given connection's record. */
export function namesFor(
  db: AppDatabase,
  model: RecordModel,
  ids: string[],
  connection: Connection | null,
): Map<string, string | null> {
  const out = new Map<string, string | null>();
  if (ids.length === 0) return out;
  const rows = all<{
    external_id: string;
    name: string | null;
    connector_id: string;
    connection_owner_id: string;
  }>(
    db,
    sql`select external_id, name, connector_id, connection_owner_id from records
        where model = ${model} and external_id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )}) and name is not null`,
  );
  for (const row of rows) {
    const exact =
      connection !== null &&
      row.connector_id === connection.connectorId &&
      row.connection_owner_id === connection.connectionOwnerId;
    if (exact || !out.has(row.external_id)) out.set(row.external_id, row.name);
  }
  return out;
}
