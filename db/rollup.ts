import { sql } from "drizzle-orm";
import type { Connection, EngagementView, ViaRef } from "./types";

/**
 * The roll-up of a company (CONTRACT `rollup`): an opportunity belongs to a company when its own
 * `companies` list holds it (record_refs), in the same connection, and it is not deleted. The
 * engines' planners walk the union; this module names the opportunities and marks the rows.
 */

export type CompanyOpportunity = {
  connectorId: string;
  connectionOwnerId: string;
  id: string;
  name: string | null;
};

/** The company's live opportunities (in one connection, or all), the same SQL on both engines. */
export function companyOpportunitiesQuery(company: string, connection: Connection | null = null) {
  const inConnection = connection
    ? sql`and o.connector_id = ${connection.connectorId} and o.connection_owner_id = ${connection.connectionOwnerId}`
    : sql``;
  return sql`select o.connector_id as "connectorId", o.connection_owner_id as "connectionOwnerId",
      o.external_id as id, op.name
    from record_refs o
    join records op on op.connector_id = o.connector_id and op.connection_owner_id = o.connection_owner_id
      and op.model = o.model and op.external_id = o.external_id and op.deleted_at is null
    where o.role = 'company' and o.ref_id = ${company} and o.model = 'crmOpportunity' ${inConnection}
    order by op.name, o.external_id`;
}

/**
 * `via` on the rows included only through an opportunity: those that do not name the company
 * themselves get the company's opportunities they reference, in their own connection.
 */
export function markVia(
  rows: EngagementView[],
  company: string,
  opportunities: CompanyOpportunity[],
): EngagementView[] {
  if (opportunities.length === 0) return rows;
  const byConnection = new Map<string, Map<string, string | null>>();
  for (const o of opportunities) {
    const key = `${o.connectorId}\u0000${o.connectionOwnerId}`;
    if (!byConnection.has(key)) byConnection.set(key, new Map());
    byConnection.get(key)!.set(o.id, o.name);
  }
  return rows.map((row) => {
    if (row.companies.some((ref) => ref.id === company)) return row;
    const theirs = byConnection.get(`${row.connectorId}\u0000${row.connectionOwnerId}`);
    const via: ViaRef[] = row.opportunities
      .filter((ref) => theirs?.has(ref.id))
      .map((ref) => ({ model: "crmOpportunity", id: ref.id, name: theirs!.get(ref.id) ?? null }));
    return via.length > 0 ? { ...row, via } : row;
  });
}
