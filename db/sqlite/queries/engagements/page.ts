import { sql, type SQL } from "drizzle-orm";
import { all, pluck, statement } from "../../prepared";
import type { DeletedScope, ReadContext } from "./context";
import { whereClause } from "../sql";
import { plan, type Plan, type Range } from "./plan";
import { ENGAGEMENT_ROW_COLUMNS_SQL, type EngagementRow } from "@/db/views";
import type { WalkRow } from "@/db/walk-folds";

export type { EngagementRow, WalkRow };

export const ROW_COLUMNS_SQL = ENGAGEMENT_ROW_COLUMNS_SQL;

export const WALK_COLUMNS =
  "e.id as id, e.started_at as started_at, e.type as type, e.status as status, e.direction as direction, e.owner_id as owner";

/** What a page query selects: whole rows, their keys and facet columns, or their ids. */
type Columns = "rows" | "walk" | "ids";

export type PageOptions = {
  scope: DeletedScope;
  newestFirst: boolean;
  limit: number;
  range?: Range;
};

function columnsOf(p: Plan, columns: Columns) {
  if (columns === "ids") return p.id;
  return columns === "rows"
    ? sql.raw(ROW_COLUMNS_SQL)
    : sql`${p.id} as id, ${p.startedAt} as started_at, e.type as type, e.status as status, e.direction as direction, e.owner_id as owner`;
}

/** The page's query: its rows in page order from the cursor on, selecting `columns`. */
function pageQuery(ctx: ReadContext, columns: Columns, options: PageOptions): SQL {
  const { query, text } = ctx;
  const p = plan(query, text, { deleted: options.scope, purpose: "page", range: options.range });
  const where = [...p.where];
  const desc = options.newestFirst;
  if (query.after) {
    const { startedAt, id } = query.after;
    where.push(
      desc
        ? sql`(${p.startedAt}, ${p.id}) < (${startedAt}, ${id})`
        : sql`(${p.startedAt}, ${p.id}) > (${startedAt}, ${id})`,
    );
  }
  const order = desc
    ? sql`order by ${p.startedAt} desc, ${p.id} desc`
    : sql`order by ${p.startedAt} asc, ${p.id} asc`;
  return sql`select ${columnsOf(p, columns)} from ${p.from} ${whereClause(where)} ${order} limit ${options.limit}`;
}

export function pageRows(ctx: ReadContext, options: PageOptions): EngagementRow[] {
  return all<EngagementRow>(ctx.db, pageQuery(ctx, "rows", options));
}

export function pageWalkRows(ctx: ReadContext, options: PageOptions): WalkRow[] {
  return all<WalkRow>(ctx.db, pageQuery(ctx, "walk", options));
}

/** The ids of the page's rows, in page order (a plain array: no object per row). */
export function pageIds(ctx: ReadContext, options: PageOptions): number[] {
  return pluck<number>(ctx.db, pageQuery(ctx, "ids", options));
}

const BY_IDS = "from engagements e where e.id in (select value from json_each(?))";
const ROWS_BY_IDS_SQL = `select ${ROW_COLUMNS_SQL} ${BY_IDS}`;
const WALK_ROWS_BY_IDS_SQL = `select ${WALK_COLUMNS} ${BY_IDS}`;
export const STARTED_AT_SQL = "select started_at from engagements where id = ?";

/** `rows` in the order of `ids` (an id with no row is left out). */
export function inOrderOf<T extends { id: number }>(ids: number[], rows: T[]): T[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id)!).filter(Boolean);
}

function byIds<T extends { id: number }>(ctx: ReadContext, source: string, ids: number[]): T[] {
  if (ids.length === 0) return [];
  return inOrderOf(ids, statement(ctx.db, source).all(JSON.stringify(ids)) as T[]);
}

export function rowsByIds(ctx: ReadContext, ids: number[]): EngagementRow[] {
  return byIds<EngagementRow>(ctx, ROWS_BY_IDS_SQL, ids);
}

export function walkRowsByIds(ctx: ReadContext, ids: number[]): WalkRow[] {
  return byIds<WalkRow>(ctx, WALK_ROWS_BY_IDS_SQL, ids);
}
