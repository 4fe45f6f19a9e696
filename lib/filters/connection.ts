import type { Connection } from "@/db/types";

/**
 * A CRM connection as it is written in URLs, exports and on screen: `connector:owner`. The
 * connector id cannot hold a colon; the owner id may (`a:b:c` is connector `a`, owner `b:c`).
 */

export type { Connection };

const MAX_LENGTH = 400;

export function parseConnection(value: string | null | undefined): Connection | null {
  if (!value || value.length > MAX_LENGTH) return null;
  const at = value.indexOf(":");
  if (at <= 0 || at === value.length - 1) return null;
  return { connectorId: value.slice(0, at), connectionOwnerId: value.slice(at + 1) };
}

export function formatConnection(connection: Connection): string {
  return `${connection.connectorId}:${connection.connectionOwnerId}`;
}

/** The connection a row names, when it names both parts (a refused delivery may lack one). */
export function connectionOf(row: {
  connectorId: string | null;
  connectionOwnerId: string | null;
}): Connection | null {
  return row.connectorId && row.connectionOwnerId
    ? { connectorId: row.connectorId, connectionOwnerId: row.connectionOwnerId }
    : null;
}
