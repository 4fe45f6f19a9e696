import { sql, type SQL } from "drizzle-orm";
import type { RefRole } from "@/db/schema";
import type { EngagementQuery } from "@/db/types";
import type { DeletedScope } from "./context";
import { inList } from "../sql";
import type { TextMode } from "./text";

/** Ref filters that drive a query through engagement_refs, most selective first. */
export const REF_DRIVERS: RefRole[] = ["opportunity", "contact", "company", "user"];

/** The indexes a walk is forced onto; the first two hold every filtered column (db/schema.ts). */
type EngagementIndex =
  "engagements_started" | "engagements_owner_started" | "engagements_deleted_started";
type Driver =
  | { kind: "fts" }
  | { kind: "ref"; role: RefRole }
  | { kind: "rollup" }
  | { kind: "index"; index: EngagementIndex };

export type Plan = {
  from: SQL;
  where: SQL[];
  /** Columns the keyset order runs on (the driver's copy, so the index walk is the order). */
  startedAt: SQL;
  id: SQL;
};

export type Range = { fromMs: number | null; toMs: number | null };

export type PlanOptions = {
  deleted: DeletedScope;
  purpose: "page" | "count";
  range?: Range;
};

function refExists(id: SQL, role: RefRole, refId: string) {
  return sql`exists (select 1 from engagement_refs x where x.engagement_id = ${id} and x.role = ${role} and x.ref_id = ${refId})`;
}

/** A live opportunity `op` whose own `companies` list (record_refs `o`) holds the company. */
const LIVE_OPPORTUNITY = sql`join records op on op.connector_id = o.connector_id
  and op.connection_owner_id = o.connection_owner_id and op.model = o.model
  and op.external_id = o.external_id and op.deleted_at is null`;

/**
 * A rolled-up company's engagements: those naming it, and those on its opportunities within the
 * opportunity's connection. UNION drops an engagement reached both ways.
 */
function rollupRefs(company: string) {
  return sql`(select r.engagement_id, r.started_at from engagement_refs r indexed by engagement_refs_lookup
      where r.role = 'company' and r.ref_id = ${company}
    union
    select r.engagement_id, r.started_at from record_refs o indexed by record_refs_lookup
      ${LIVE_OPPORTUNITY}
      cross join engagement_refs r indexed by engagement_refs_lookup
        on r.role = 'opportunity' and r.ref_id = o.external_id
      cross join engagements v on v.id = r.engagement_id
        and v.connector_id = o.connector_id and v.connection_owner_id = o.connection_owner_id
      where o.role = 'company' and o.ref_id = ${company} and o.model = 'crmOpportunity')`;
}

/** Whether engagement `e` is the company's, directly or through one of its opportunities. */
function rollupExists(id: SQL, company: string) {
  return sql`(${refExists(id, "company", company)} or exists (select 1 from engagement_refs x
    join record_refs o indexed by record_refs_lookup on o.role = 'company' and o.ref_id = ${company}
      and o.model = 'crmOpportunity' and o.external_id = x.ref_id
      and o.connector_id = e.connector_id and o.connection_owner_id = e.connection_owner_id
    ${LIVE_OPPORTUNITY}
    where x.engagement_id = ${id} and x.role = 'opportunity'))`;
}

/** Whether ref row `r` is a tombstone's, from the tombstones' partial index (no engagement read). */
const REF_IS_DELETED = sql`exists (select 1 from engagements d indexed by engagements_deleted_started where d.deleted_at is not null and d.started_at = r.started_at and d.id = r.engagement_id)`;

export function refFilters(query: EngagementQuery) {
  return REF_DRIVERS.filter((role) => query[role] !== null).map((role) => ({
    role,
    refId: query[role]!,
  }));
}

/** A rare term walks the full-text index, a record its refs, else tombstones, owner or dates. */
function chooseDriver(query: EngagementQuery, text: TextMode, deleted: DeletedScope): Driver {
  const refs = refFilters(query);
  const selective = refs.length > 0 || query.owner !== null;
  if (text && (!text.frequent || !selective)) return { kind: "fts" };
  if (refs.length > 0 && refs[0].role === "company" && query.rollup) return { kind: "rollup" };
  if (refs.length > 0) return { kind: "ref", role: refs[0].role };
  if (deleted === "deleted") return { kind: "index", index: "engagements_deleted_started" };
  if (query.owner !== null) return { kind: "index", index: "engagements_owner_started" };
  return { kind: "index", index: "engagements_started" };
}

function columnConditions(query: EngagementQuery): SQL[] {
  const onE: SQL[] = [];
  if (query.owner !== null) onE.push(sql`e.owner_id = ${query.owner}`);
  if (query.type.length) onE.push(inList(sql`e.type`, query.type));
  if (query.direction.length) onE.push(inList(sql`e.direction`, query.direction));
  if (query.status.length) onE.push(inList(sql`e.status`, query.status));
  if (query.connection) {
    onE.push(
      sql`e.connector_id = ${query.connection.connectorId} and e.connection_owner_id = ${query.connection.connectionOwnerId}`,
    );
  }
  return onE;
}

function source(driver: Driver, query: EngagementQuery, text: TextMode, joinsE: boolean) {
  if (driver.kind === "fts") {
    return {
      from: sql`engagements_fts cross join engagements e on e.id = engagements_fts.rowid`,
      where: [sql`engagements_fts match ${text!.fts}`],
      startedAt: sql`e.started_at`,
      id: sql`e.id`,
    };
  }
  if (driver.kind === "rollup") {
    const refs = rollupRefs(query.company!);
    return {
      from: joinsE
        ? sql`${refs} r cross join engagements e on e.id = r.engagement_id`
        : sql`${refs} r`,
      where: [],
      startedAt: sql`r.started_at`,
      id: sql`r.engagement_id`,
    };
  }
  if (driver.kind === "ref") {
    const refId = query[driver.role]!;
    // CROSS JOIN keeps engagement_refs as the outer loop: its index is the date order.
    return {
      from: joinsE
        ? sql`engagement_refs r indexed by engagement_refs_lookup cross join engagements e on e.id = r.engagement_id`
        : sql`engagement_refs r indexed by engagement_refs_lookup`,
      where: [sql`r.role = ${driver.role} and r.ref_id = ${refId}`],
      startedAt: sql`r.started_at`,
      id: sql`r.engagement_id`,
    };
  }
  return {
    from: sql`engagements e indexed by ${sql.raw(driver.index)}`,
    where: [],
    startedAt: sql`e.started_at`,
    id: sql`e.id`,
  };
}

/** The FROM, WHERE and order columns that answer a query with the index that fits it. */
export function plan(query: EngagementQuery, text: TextMode, options: PlanOptions): Plan {
  const fromMs = Math.max(query.fromMs ?? -Infinity, options.range?.fromMs ?? -Infinity);
  const toMs = Math.min(query.toMs ?? Infinity, options.range?.toMs ?? Infinity);
  const driver = chooseDriver(query, text, options.deleted);
  const byRefs = driver.kind === "ref" || driver.kind === "rollup";
  const engagementId = byRefs ? sql`r.engagement_id` : sql`e.id`;
  const onE = columnConditions(query);
  const other: SQL[] = [];
  let probesConnection = false;
  for (const ref of refFilters(query)) {
    if (driver.kind === "ref" && driver.role === ref.role) continue;
    if (ref.role === "company" && query.rollup) {
      if (driver.kind === "rollup") continue;
      other.push(rollupExists(engagementId, ref.refId));
      probesConnection = true;
    } else {
      other.push(refExists(engagementId, ref.role, ref.refId));
    }
  }
  if (text && driver.kind !== "fts") {
    other.push(
      sql`${engagementId} in (select rowid from engagements_fts where engagements_fts match ${text.fts})`,
    );
  }
  // A count over refs alone reads no engagement: tombstones come from their own index.
  const joinsE = !byRefs || options.purpose === "page" || onE.length > 0 || probesConnection;
  if (options.deleted !== "any") {
    const live = options.deleted === "live";
    if (joinsE) onE.push(live ? sql`e.deleted_at is null` : sql`e.deleted_at is not null`);
    else other.push(live ? sql`not ${REF_IS_DELETED}` : REF_IS_DELETED);
  }
  const { from, where, startedAt, id } = source(driver, query, text, joinsE);
  if (Number.isFinite(fromMs)) where.push(sql`${startedAt} >= ${fromMs}`);
  if (Number.isFinite(toMs)) where.push(sql`${startedAt} <= ${toMs}`);
  where.push(...onE, ...other);
  return { from, where, startedAt, id };
}
