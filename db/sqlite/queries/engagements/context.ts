import { DEFAULT_SUMMARY_TUNING, type SummaryTuning } from "@/db/read-tuning";
import type { EngagementQuery } from "@/db/types";
import type { AppDatabase } from "../../client";
import { textMode, type TextMode } from "./text";

/** How reads trade work for exactness (the summary's numbers: db/read-tuning.ts). */
export type ReadTuning = SummaryTuning & {
  /** Above this many full-text matches, a term is walked beside the date index (`walkText`). */
  frequentTerm: number;
  walkFrequentTerms: boolean;
  walkChunk: number;
};

export const DEFAULT_TUNING: ReadTuning = {
  ...DEFAULT_SUMMARY_TUNING,
  frequentTerm: 2000,
  walkFrequentTerms: true,
  walkChunk: 1000,
};

/** Which engagements a walk reads by their tombstone. */
export type DeletedScope = "any" | "live" | "deleted";

/** Frequent-term walks already done within one summary: newest first, no cursor. */
export type WalkCache = Map<string, { ids: number[]; complete: boolean }>;

/** One read: the connection, the query, how its text is searched, and the tuning. */
export type ReadContext = {
  db: AppDatabase;
  query: EngagementQuery;
  text: TextMode;
  tuning: ReadTuning;
  walks: WalkCache | null;
};

export function createReadContext(
  db: AppDatabase,
  query: EngagementQuery,
  tuning: ReadTuning,
): ReadContext {
  return { db, query, text: textMode(db, query.text, tuning), tuning, walks: null };
}

/** The same read with another query; the text's search mode stays the one already probed. */
export function withQuery(ctx: ReadContext, patch: Partial<EngagementQuery>): ReadContext {
  return { ...ctx, query: { ...ctx.query, ...patch } };
}

export function deletedScope(query: EngagementQuery): DeletedScope {
  return query.deleted === "hide" ? "live" : query.deleted === "only" ? "deleted" : "any";
}

/** Whether a text filter is answered by walking the date index (a frequent term). */
export function walksTerm(ctx: ReadContext): ctx is ReadContext & { text: { fts: string } } {
  return ctx.text !== null && ctx.text.frequent && ctx.tuning.walkFrequentTerms;
}
