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

/** A live opportunity `op` whose own `companies` list (record_refs `o`) holds the company. */
const LIVE_OPPORTUNITY = sql`join records op on op.connector_id = o.connector_id
  and op.connection_owner_id = o.connection_owner_id and op.model = o.model
  and op.external_id = o.external_id and op.deleted_at is null`;

/**
 * A rolled-up company's engagement refs: those naming it, and those on its opportunities within
 * the opportunity's connection. UNION drops an engagement reached both ways.
 */
function rollupRefs(company: string) {
  return sql`(select r.connector_id, r.connection_owner_id, r.engagement_id, r.started_at
      from engagement_refs r where r.role = 'company' and r.ref_id = ${company}
    union
    select r.connector_id, r.connection_owner_id, r.engagement_id, r.started_at
      from record_refs o ${LIVE_OPPORTUNITY}
      join engagement_refs r on r.connector_id = o.connector_id
        and r.connection_owner_id = o.connection_owner_id
        and r.role = 'opportunity' and r.ref_id = o.external_id
      where o.role = 'company' and o.ref_id = ${company} and o.model = 'crmOpportunity')`;
}

/** Whether engagement `e` is the company's, directly or through one of its opportunities. */
function rollupExists(company: string) {
  return sql`(${refExists("company", company)} or exists (select 1 from engagement_refs x
    join record_refs o on o.connector_id = x.connector_id and o.connection_owner_id = x.connection_owner_id
      and o.role = 'company' and o.ref_id = ${company} and o.model = 'crmOpportunity'
      and o.external_id = x.ref_id
    ${LIVE_OPPORTUNITY}
    where x.connector_id = e.connector_id and x.connection_owner_id = e.connection_owner_id
      and x.engagement_id = e.id and x.role = 'opportunity'))`;
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
  const rollup = driver?.role === "company" && query.rollup;
  const refs = rollup ? sql`${rollupRefs(driver.refId)} r` : sql`engagement_refs r`;
  const source: Source = driver
    ? {
        from: sql`${refs} join engagements e on e.connector_id = r.connector_id
          and e.connection_owner_id = r.connection_owner_id and e.id = r.engagement_id`,
        where: rollup ? [] : [sql`r.role = ${driver.role} and r.ref_id = ${driver.refId}`],
        startedAt: sql`r.started_at`,
        id: sql`r.engagement_id`,
      }
    : { from: sql`engagements e`, where: [], startedAt: sql`e.started_at`, id: sql`e.id` };
  const fromMs = Math.max(query.fromMs ?? -Infinity, range?.fromMs ?? -Infinity);
  const toMs = Math.min(query.toMs ?? Infinity, range?.toMs ?? Infinity);
  if (Number.isFinite(fromMs)) source.where.push(sql`${source.startedAt} >= ${fromMs}::bigint`);
  if (Number.isFinite(toMs)) source.where.push(sql`${source.startedAt} <= ${toMs}::bigint`);
  source.where.push(...columnConditions(ctx));
  for (const ref of others) {
    const rolledUp = ref.role === "company" && query.rollup;
    source.where.push(rolledUp ? rollupExists(ref.refId) : refExists(ref.role, ref.refId));
  }
  return source;
}
