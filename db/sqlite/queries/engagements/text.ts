import { sql } from "drizzle-orm";
import type { AppDatabase } from "../../client";
import { get } from "../../prepared";

/** How a query's text is searched: its FTS5 query, and whether the term matches many rows. */
export type TextMode = { fts: string; frequent: boolean } | null;

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
