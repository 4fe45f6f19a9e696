import { sql } from "drizzle-orm";
import type { RecordModel, RefRole } from "@/db/models";
import { REFERENCE_ROLES } from "@/db/roles";
import type { Connection, EngagementView } from "@/db/types";
import {
  pickNames,
  toEngagementViews,
  type EngagementRow,
  type NamedRecordRow,
  type RefRecord,
  type ResolvedRef,
} from "@/db/views";
import type { PgDatabase } from "../../client";
import { allRows } from "../rows";
import { asStoredText } from "../sql";

type ResolvedRow = {
  engagement_id: number;
  role: RefRole | null;
  ref_id: string;
  position: number;
  record_id: number | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  fields: Record<string, unknown> | null;
  content_hash: string | null;
  deleted_at: number | null;
};

const ROLE_MODEL = sql.raw(
  `case x.role ${REFERENCE_ROLES.map(({ role, model }) => `when '${role}' then '${model}'`).join(" ")} end`,
);

const RECORD_COLUMNS = sql`r.id as record_id, r.name, r.email, r.phone, r.fields, r.content_hash, r.deleted_at`;

/** Every owner and reference of the page, with its record in the same connection: one query. */
function resolveQuery(rows: EngagementRow[]) {
  const column = <K extends keyof EngagementRow>(key: K) => sql.param(rows.map((row) => row[key]));
  return sql`with p as (
      select * from unnest(${column("id")}::bigint[], ${column("connector_id")}::text[],
        ${column("connection_owner_id")}::text[], ${column("owner_id")}::text[])
        as p(id, connector_id, connection_owner_id, owner_id))
    select p.id as engagement_id, null as role, p.owner_id as ref_id, 0 as position, ${RECORD_COLUMNS}
      from p left join records r on r.connector_id = p.connector_id
        and r.connection_owner_id = p.connection_owner_id
        and r.model = 'genericUser' and r.external_id = p.owner_id
      where p.owner_id is not null
    union all
    select x.engagement_id, x.role, x.ref_id, x.position, ${RECORD_COLUMNS}
      from p join engagement_refs x on x.connector_id = p.connector_id
        and x.connection_owner_id = p.connection_owner_id and x.engagement_id = p.id
      left join records r on r.connector_id = x.connector_id
        and r.connection_owner_id = x.connection_owner_id
        and r.model = ${ROLE_MODEL} and r.external_id = x.ref_id`;
}

function recordOf(row: ResolvedRow): RefRecord | null {
  if (row.record_id === null) return null;
  return {
    id: row.record_id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    fields: row.fields,
    contentHash: row.content_hash ?? "",
    deletedAt: row.deleted_at,
  };
}

/** Rows in the API's shape (db/views.ts), every owner and reference resolved in one query. */
export async function resolveEngagements(
  db: PgDatabase,
  rows: EngagementRow[],
): Promise<EngagementView[]> {
  if (rows.length === 0) return [];
  const found = await allRows<ResolvedRow>(db, resolveQuery(rows));
  const resolved: ResolvedRef[] = found.map((row) => ({
    engagementId: row.engagement_id,
    role: row.role,
    refId: row.ref_id,
    position: row.position,
    record: recordOf(row),
  }));
  return toEngagementViews(rows, resolved);
}

/** Display names for ids of one model, preferring the given connection's record. */
export async function namesFor(
  db: PgDatabase,
  model: RecordModel,
  ids: string[],
  connection: Connection | null,
): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const rows = await allRows<NamedRecordRow>(
    db,
    sql`select external_id, name, connector_id, connection_owner_id from records
        where model = ${model} and external_id = any(${sql.param(ids.map(asStoredText))}::text[])
          and name is not null
        order by id`,
  );
  return pickNames(rows, connection);
}
