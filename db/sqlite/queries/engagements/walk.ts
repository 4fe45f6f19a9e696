import { broadQuery, walkOf, type Walk } from "@/db/walk-folds";
import { statement } from "../../prepared";
import { deletedScope, walksTerm, withQuery, type ReadContext } from "./context";
import {
  inOrderOf,
  pageWalkRows,
  STARTED_AT_SQL,
  WALK_COLUMNS,
  walkRowsByIds,
  type WalkRow,
} from "./page";
import { REF_DRIVERS, type Range } from "./plan";
import { walkText } from "./text-walk";

export type { Walk };

/** The newest `facetSample` matches in the list's own order (db/walk-folds.ts). */
export function newestWalk(ctx: ReadContext, range?: Range): Walk {
  const sample = ctx.tuning.facetSample;
  return walkOf(newestMatches(withQuery(ctx, { after: null }), range, sample + 1), sample);
}

/** The query without its four facet dimensions, walked once: facets and chart fold its rows. */
export function broadWalk(ctx: ReadContext): Walk {
  return newestWalk(withQuery(ctx, broadQuery(ctx.query)));
}

function newestMatches(ctx: ReadContext, range: Range | undefined, limit: number): WalkRow[] {
  const scope = deletedScope(ctx.query);
  if (walksTerm(ctx)) {
    const ids = walkText(ctx, ctx.text.fts, { scope, newestFirst: true, want: limit, range });
    return walkRows(ctx, ids);
  }
  return pageWalkRows(ctx, { scope, newestFirst: true, limit, range });
}

const WALK_ROWS_IN_RANGE = `select ${WALK_COLUMNS} from engagements e indexed by engagements_started
  where e.started_at between ? and ? and e.id in (select value from json_each(?))`;
const WALK_ROWS_IN_OWNER_RANGE = `select ${WALK_COLUMNS} from engagements e indexed by engagements_owner_started
  where e.owner_id = ? and e.started_at between ? and ? and e.id in (select value from json_each(?))`;

/** The facet columns of a walk's ids, from the date or owner index where it holds them. */
export function walkRows(ctx: ReadContext, ids: number[]): WalkRow[] {
  const { db, query } = ctx;
  const onIndex =
    deletedScope(query) !== "deleted" && REF_DRIVERS.every((role) => query[role] === null);
  if (!onIndex || ids.length < 2) return walkRowsByIds(ctx, ids);
  const startedAt = statement(db, STARTED_AT_SQL, "pluck");
  const newest = startedAt.get(ids[0]) as number;
  const oldest = startedAt.get(ids[ids.length - 1]) as number;
  const json = JSON.stringify(ids);
  const rows = (
    query.owner !== null
      ? statement(db, WALK_ROWS_IN_OWNER_RANGE).all(query.owner, oldest, newest, json)
      : statement(db, WALK_ROWS_IN_RANGE).all(oldest, newest, json)
  ) as WalkRow[];
  return inOrderOf(ids, rows);
}
