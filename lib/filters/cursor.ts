import type { EngagementCursor } from "@/db/types";

/**
 * The lists' keyset cursors, opaque to clients: a position wrapped in base64url. The texts
 * inside are the ones links have always carried, so bookmarked pages still open.
 */

const wrap = (text: string) => Buffer.from(text, "utf8").toString("base64url");

function unwrap(value: string | null | undefined, pattern: RegExp): RegExpExecArray | null {
  if (!value || value.length > 100) return null;
  return pattern.exec(Buffer.from(value, "base64url").toString("utf8"));
}

/** Engagements: `startedAt.id` of the last row shown. */
export function encodeEngagementCursor(cursor: EngagementCursor): string {
  return wrap(`${cursor.startedAt}.${cursor.id}`);
}

export function decodeEngagementCursor(value: string | null | undefined): EngagementCursor | null {
  const match = unwrap(value, /^(-?\d{1,16})\.(\d{1,16})$/);
  if (!match) return null;
  const cursor = { startedAt: Number(match[1]), id: Number(match[2]) };
  return Number.isSafeInteger(cursor.startedAt) && Number.isSafeInteger(cursor.id) ? cursor : null;
}

/** Deliveries: `d` and the id of the last row shown. */
export function encodeDeliveryCursor(id: number): string {
  return wrap(`d${id}`);
}

export function decodeDeliveryCursor(value: string | null | undefined): number | null {
  const match = unwrap(value, /^d(\d{1,15})$/);
  return match ? Number(match[1]) : null;
}
