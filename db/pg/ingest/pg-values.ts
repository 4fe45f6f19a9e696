/**
 * Values as PostgreSQL can hold them. Its text cannot hold U+0000 and its json functions refuse the
 * escapes `\u0000` and a lone surrogate's `\udxxx`, where SQLite keeps them: such characters
 * are stored as U+FFFD (the replacement character), as a lone surrogate already is in text,
 * so a webhook carrying one is still stored and answered instead of failing.
 */

const NUL = /\0/g;
/** A high surrogate with no low one after it, or a low one with no high one before it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** Either escape, preceded by an even run of backslashes (so it is not itself escaped text). */
const UNSTORABLE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/gi;

export function pgText(value: string): string;
export function pgText(value: string | null): string | null;
export function pgText(value: string | null): string | null {
  if (value === null) return null;
  // The driver's UTF-8 would turn a lone surrogate into U+FFFD anyway: doing it here first
  // makes two ids that differ only there one id before they are deduplicated, as PostgreSQL sees them.
  const text = value.includes("\0") ? value.replace(NUL, "\ufffd") : value;
  return text.replace(LONE_SURROGATE, "\ufffd");
}

/**
 * `value` as json input text. JSON.stringify escapes lone surrogates and writes pairs as
 * themselves, so any `\ud800`–`\udfff` escape in its output is a lone one.
 */
export function pgJson(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = JSON.stringify(value);
  return text.includes("\\u") ? text.replace(UNSTORABLE_ESCAPE, "$1\\ufffd") : text;
}

/** bigint holds whole numbers within ±2^63; a double past 2^53 is no exact count anyway. */
export function pgWholeNumber(value: number | null): number | null {
  return value !== null && Number.isSafeInteger(value) ? value : null;
}
