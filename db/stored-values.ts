/** Stored values read back: epoch ms as ISO 8601, JSON columns with a fallback for a bad one. */

export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** How an engine reads a JSON column back: SQLite stores text, PostgreSQL's jsonb arrives parsed. */
export type ReadJson = <T>(value: unknown, fallback: T) => T;

export function parseJson<T>(text: unknown, fallback: T): T {
  if (!text || typeof text !== "string") return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
