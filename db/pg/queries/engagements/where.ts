import { sql, type SQL } from "drizzle-orm";
import type { RefRole } from "@/db/models";
import type { EngagementQuery } from "@/db/types";
import { anyOf, asStoredText } from "../sql";
import { deletedScope, type ReadContext } from "./context";

/** Ref filters that drive a read through engagement_refs, most selective first. */
const REF_DRIVERS: RefRole[] = ["opportunity", "contact", "company", "user"];

export type Range = { fromMs: number | null; toMs: number | null };

/** What a read selects from: FROM, WHERE, and the columns its keyset order runs on. */
export type Source = { from: SQL; where: SQL[]; startedAt: SQL; id: SQL };

function refFilters(query: EngagementQuery) {
  return REF_DRIVERS.filter((role) => query[role] !== null).map((role) => ({
    role,
    refId: asStoredText(query[role]!),
  }));
}

/** A probe of engagement_refs' primary key. */
function refExists(role: RefRole, refId: string) {
  return sql`exists (select 1 from engagement_refs x
    where x.connector_id = e.connector_id and x.connection_owner_id = e.connection_owner_id
      and x.engagement_id = e.id and x.role = ${role} and x.ref_id = ${refId})`;
}

function columnConditions(ctx: ReadContext): SQL[] {
  const { query, tsquery } = ctx;
  const on: SQL[] = [];
  if (query.owner !== null) on.push(sql`e.owner_id = ${asStoredText(query.owner)}`);
  if (query.type.length) on.push(anyOf(sql`e.type`, query.type));
  if (query.direction.length) on.push(anyOf(sql`e.direction`, query.direction));
  if (query.status.length) on.push(anyOf(sql`e.status`, query.status));
  if (query.connection) {
    const { connectorId, connectionOwnerId } = query.connection;
    on.push(
      sql`e.connector_id = ${asStoredText(connectorId)} and e.connection_owner_id = ${asStoredText(connectionOwnerId)}`,
    );
  }
  if (tsquery !== null) on.push(sql`e.search @@ to_tsquery('simple', ${tsquery})`);
  const scope = deletedScope(query);
  if (scope !== "any") {
    on.push(scope === "live" ? sql`e.deleted_at is null` : sql`e.deleted_at is not null`);
  }
  return on;
}

/**
 * The engagements a query matches, within `range` too: a record's filter walks engagement_refs'
 * (role, ref_id, started_at) index, whose copy of startedAt is the order; else the engagements'
 * own (started_at, id) indexes (owner, connection, tombstones, dates), as the planner picks.
 */
export function sourceOf(ctx: ReadContext, range?: Range): Source {
  const { query } = ctx;
  const [driver, ...others] = refFilters(query);
  const source: Source = driver
    ? {
        from: sql`engagement_refs r join engagements e on e.connector_id = r.connector_id
          and e.connection_owner_id = r.connection_owner_id and e.id = r.engagement_id`,
        where: [sql`r.role = ${driver.role} and r.ref_id = ${driver.refId}`],
        startedAt: sql`r.started_at`,
        id: sql`r.engagement_id`,
      }
    : { from: sql`engagements e`, where: [], startedAt: sql`e.started_at`, id: sql`e.id` };
  const fromMs = Math.max(query.fromMs ?? -Infinity, range?.fromMs ?? -Infinity);
  const toMs = Math.min(query.toMs ?? Infinity, range?.toMs ?? Infinity);
  if (Number.isFinite(fromMs)) source.where.push(sql`${source.startedAt} >= ${fromMs}::bigint`);
  if (Number.isFinite(toMs)) source.where.push(sql`${source.startedAt} <= ${toMs}::bigint`);
  source.where.push(...columnConditions(ctx));
  for (const ref of others) source.where.push(refExists(ref.role, ref.refId));
  return source;
}
