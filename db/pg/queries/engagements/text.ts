import { searchTokens, type SearchToken } from "@/db/text-search";

/** A word as both engines index it: letters and digits (with their marks). */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** A tsquery operand: quoted, so `&`, `|`, `!`, `:`, `<->`, `(` inside it are plain text. */
const quote = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;

function termOf({ text, prefix }: SearchToken): string {
  const words = text.match(WORD) ?? [];
  const star = prefix ? ":*" : "";
  const phrase = `${words.map(quote).join(" <-> ")}${star}`;
  if (words.length === 1 && words[0] === text) return phrase;
  // PostgreSQL indexes an email, a host, a URL or `1.5` as one word: the token whole matches it.
  return `(${phrase} | ${quote(text)}${star})`;
}

/**
 * User text → the text of a tsquery for `to_tsquery('simple', $1)` that can only mean "all these
 * tokens" (db/text-search.ts): a token is the phrase of its words, a prefix token's last word
 * ends in `:*`. Null when nothing searchable is left. Passed as a parameter, never as SQL.
 */
export function toTsQuery(text: string | null): string | null {
  const terms = searchTokens(text).map(termOf);
  return terms.length ? terms.join(" & ") : null;
}
