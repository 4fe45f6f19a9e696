/** Stored values read back: epoch ms as ISO 8601, JSON columns with a fallback for a bad one. */

export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
