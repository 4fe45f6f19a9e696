import { sql } from "drizzle-orm";
import { REFERENCE_ROLES } from "@/db/roles";
import type { RecordModel, RefRole } from "@/db/schema";
import type { Connection, EngagementView } from "@/db/types";
import {
  pickNames,
  toEngagementViews,
  type EngagementRow,
  type NamedRecordRow,
  type ResolvedRef,
} from "@/db/views";
import type { AppDatabase } from "../../client";
import { all, statement } from "../../prepared";

/** A reference (or owner) of a page's engagement with the record it names: a raw row. */
type ResolvedRow = [
  engagementId: number,
  /** null for the owner. */
  role: RefRole | null,
  refId: string,
  position: number,
  recordId: number | null,
  name: string | null,
  email: string | null,
  phone: string | null,
  fields: string | null,
  contentHash: string,
  deletedAt: number | null,
];

const ROLE_MODEL_SQL = `case x.role ${REFERENCE_ROLES.map(
  ({ role, model }) => `when '${role}' then '${model}'`,
).join(" ")} end`;

/** Every owner and reference of the page, with its record in the same connection: one statement. */
const RESOLVE_SQL = `
select e.id, null, e.owner_id, 0, r.id, r.name, r.email, r.phone, r.fields, r.content_hash, r.deleted_at
  from json_each(?) j cross join engagements e on e.id = j.value
  left join records r on r.connector_id = e.connector_id and r.connection_owner_id = e.connection_owner_id
    and r.model = 'genericUser' and r.external_id = e.owner_id
  where e.owner_id is not null
union all
select x.engagement_id, x.role, x.ref_id, x.position, r.id, r.name, r.email, r.phone, r.fields, r.content_hash, r.deleted_at
  from json_each(?) j cross join engagements e on e.id = j.value
  cross join engagement_refs x on x.engagement_id = e.id
  left join records r on r.connector_id = e.connector_id and r.connection_owner_id = e.connection_owner_id
    and r.model = ${ROLE_MODEL_SQL} and r.external_id = x.ref_id`;

/** Rows in the API's shape, every reference resolved (db/views.ts), from one statement. */
export function resolveEngagements(db: AppDatabase, rows: EngagementRow[]): EngagementView[] {
  if (rows.length === 0) return [];
  const ids = JSON.stringify(rows.map((r) => r.id));
  const raw = statement(db, RESOLVE_SQL, "raw").all(ids, ids) as ResolvedRow[];
  const resolved: ResolvedRef[] = raw.map(
    ([
      engagementId,
      role,
      refId,
      position,
      id,
      name,
      email,
      phone,
      fields,
      contentHash,
      deletedAt,
    ]) => ({
      engagementId,
      role,
      refId,
      position,
      record: id === null ? null : { id, name, email, phone, fields, contentHash, deletedAt },
    }),
  );
  return toEngagementViews(rows, resolved);
}

/** Display names for ids of one model, preferring the given connection's record. */
export function namesFor(
  db: AppDatabase,
  model: RecordModel,
  ids: string[],
  connection: Connection | null,
): Map<string, string | null> {
  if (ids.length === 0) return new Map();
  const rows = all<NamedRecordRow>(
    db,
    sql`select external_id, name, connector_id, connection_owner_id from records
        where model = ${model} and external_id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )}) and name is not null`,
  );
  return pickNames(rows, connection);
}
