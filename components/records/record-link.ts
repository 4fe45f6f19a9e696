import type { RecordModel } from "@/db/schema";

export const RECORD_PATHS: Record<RecordModel, string> = {
  genericUser: "/users",
  genericContact: "/contacts",
  genericCompany: "/companies",
  crmOpportunity: "/opportunities",
};

/** A record page URL, scoped to the connection the id belongs to. */
export function recordHref(
  model: RecordModel,
  id: string,
  connection?: { connectorId: string; connectionOwnerId: string },
) {
  const base = `${RECORD_PATHS[model]}/${encodeURIComponent(id)}`;
  return connection
    ? `${base}?connection=${encodeURIComponent(`${connection.connectorId}:${connection.connectionOwnerId}`)}`
    : base;
}
