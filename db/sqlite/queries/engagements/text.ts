import { sql } from "drizzle-orm";
import type { AppDatabase } from "../../client";
import { get } from "../../prepared";
import { searchTokens } from "@/db/text-search";

/** How a query's text is searched: its FTS5 query, and whether the term matches many rows. */
export type TextMode = { fts: string; frequent: boolean } | null;

/**
 * User text (db/text-search.ts) → an FTS5 query that can only mean "all these words": each
 * token is quoted (so `NEAR(`, `-`, `OR` are plain text), a prefix token keeps its `*`.
 * Returns null when nothing searchable is left.
 */
export function toFtsQuery(text: string | null): string | null {
  const phrases = searchTokens(text).map(({ text, prefix }) => `"${text}"${prefix ? "*" : ""}`);
  return phrases.length ? phrases.join(" ") : null;
}

export function textMode(
  db: AppDatabase,
  text: string | null,
  tuning: { frequentTerm: number },
): TextMode {
  const fts = toFtsQuery(text);
  if (!fts) return null;
  const probe = get<{ n: number }>(
    db,
    sql`select count(*) as n from (select rowid from engagements_fts where engagements_fts match ${fts} limit ${tuning.frequentTerm + 1})`,
  );
  return { fts, frequent: (probe?.n ?? 0) > tuning.frequentTerm };
}
