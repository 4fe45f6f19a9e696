import type { EngagementCursor } from "@/db/types";
import { statement } from "../../prepared";
import type { DeletedScope, ReadContext } from "./context";
import { pageIds, STARTED_AT_SQL } from "./page";
import type { Range } from "./plan";

const FTS_DOWN =
  "select rowid from engagements_fts where engagements_fts match ? and rowid <= ? order by rowid desc limit ?";
const FTS_UP =
  "select rowid from engagements_fts where engagements_fts match ? and rowid >= ? order by rowid asc limit ?";
const FTS_ALL = "select rowid from engagements_fts where engagements_fts match ?";

export type WalkOptions = {
  scope: DeletedScope;
  newestFirst: boolean;
  want: number;
  range?: Range;
};

/** The first `want` matching ids in page order without sorting every match; cached per summary. */
export function walkText(ctx: ReadContext, fts: string, options: WalkOptions): number[] {
  if (!ctx.walks || ctx.query.after || !options.newestFirst) return walkTextOnce(ctx, fts, options);
  const key = JSON.stringify([
    { ...ctx.query, limit: 0 },
    fts,
    options.scope,
    options.range ?? null,
  ]);
  const known = ctx.walks.get(key);
  if (known && (known.ids.length >= options.want || known.complete)) {
    return known.ids.slice(0, options.want);
  }
  const ids = walkTextOnce(ctx, fts, options);
  ctx.walks.set(key, { ids, complete: ids.length < options.want });
  return ids;
}

/**
 * The term's matches, read in rowid order in growing batches (highest first for a newest-first
 * walk), only as far as the current chunk's lowest id: ids follow time for live traffic, so
 * the date walk and the matches advance together and each match is read once.
 */
function matchReader(ctx: ReadContext, fts: string, desc: boolean) {
  const { walkChunk } = ctx.tuning;
  const read = new Set<number>();
  const state = { edge: NaN, done: false };
  let batch = walkChunk;
  // Matches per id so far: the next batch reads about as many as the chunk needs.
  let perId = NaN;
  const readFrom = (bound: number, to: number) => {
    if (!Number.isNaN(perId)) {
      const need = Math.ceil(Math.abs(bound - to + (desc ? 1 : -1)) * perId * 1.25) + 64;
      batch = Math.max(walkChunk, Math.min(need, walkChunk * 32));
    }
    const ids = statement(ctx.db, desc ? FTS_DOWN : FTS_UP, "pluck").all(
      fts,
      bound,
      batch,
    ) as number[];
    for (const id of ids) read.add(id);
    if (ids.length < batch) state.done = true;
    else {
      state.edge = ids[ids.length - 1]!;
      perId = ids.length / (Math.abs(bound - state.edge) + 1);
    }
    if (Number.isNaN(perId)) batch = Math.min(batch * 2, walkChunk * 32);
  };
  const readThrough = (min: number, max: number) => {
    while (!state.done && (desc ? state.edge >= min : state.edge <= max)) {
      readFrom(desc ? state.edge - 1 : state.edge + 1, desc ? min : max);
    }
  };
  return { read, state, readFrom, readThrough };
}

function walkTextOnce(ctx: ReadContext, fts: string, options: WalkOptions): number[] {
  const desc = options.newestFirst;
  const { walkChunk } = ctx.tuning;
  const matches = matchReader(ctx, fts, desc);
  const picked: number[] = [];
  // A chunk holding an id beyond where the matches were first read from (a backfill) reads
  // every match once instead.
  let every: Set<number> | null = null;
  let start = NaN;
  let after: EngagementCursor | null = ctx.query.after;
  let size = walkChunk;
  while (picked.length < options.want) {
    const chunk = { ...ctx, query: { ...ctx.query, text: null, after }, text: null };
    const ids = pageIds(chunk, {
      scope: options.scope,
      newestFirst: desc,
      limit: size,
      range: options.range,
    });
    if (ids.length === 0) break;
    let min = Infinity;
    let max = -Infinity;
    for (const id of ids) {
      if (id < min) min = id;
      if (id > max) max = id;
    }
    if (!every && Number.isNaN(start)) {
      start = matches.state.edge = desc ? max : min;
      matches.readFrom(start, desc ? min : max);
    }
    if (!every && (desc ? max > start : min < start)) {
      every = new Set(statement(ctx.db, FTS_ALL, "pluck").all(fts) as number[]);
    }
    if (!every) matches.readThrough(min, max);
    const found = every ?? matches.read;
    for (const id of ids) {
      if (found.has(id) && picked.push(id) >= options.want) break;
    }
    if (ids.length < size) break;
    const last = ids[ids.length - 1]!;
    after = { startedAt: statement(ctx.db, STARTED_AT_SQL, "pluck").get(last) as number, id: last };
    size = Math.min(size * 2, walkChunk * 8);
  }
  return picked;
}
