/** A URL segment as one of our integer ids, or null (so a bad id is a 404, never a 500). */
export function parseId(raw: string): number | null {
  if (!/^[1-9]\d{0,14}$/.test(raw)) return null;
  return Number(raw);
}
