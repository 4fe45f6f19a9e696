/**
 * What a search box's text means on every engine: each whitespace-separated token must match;
 * `"` and `*` are dropped from it, a trailing `*` after a word asks for a prefix, and a token
 * with no letter or digit left is no term. U+0000 is punctuation like any other (neither FTS5's
 * query syntax nor PostgreSQL's text can carry it). Each engine turns the tokens into its query.
 */

export type SearchToken = { text: string; prefix: boolean };

const MAX_TOKENS = 16;

export function searchTokens(text: string | null): SearchToken[] {
  if (!text) return [];
  const tokens: SearchToken[] = [];
  for (const raw of text.normalize("NFC").split(/\s+/)) {
    const prefix = /\w\*+$/u.test(raw);
    const token = raw.replace(/["*]/g, "").replace(/\0/g, " ").trim();
    if (!/[\p{L}\p{N}]/u.test(token)) continue;
    tokens.push({ text: token, prefix });
    if (tokens.length >= MAX_TOKENS) break;
  }
  return tokens;
}
