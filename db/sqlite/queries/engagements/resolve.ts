import { sql } from "drizzle-orm";
import { REFERENCE_ROLES, ROLE } from "@/db/roles";
import type { RecordModel, RefRole } from "@/db/schema";
import type { Connection, EngagementView, Ref } from "@/db/types";
import type { AppDatabase } from "../../client";
import { all, statement } from "../../prepared";
import { iso, parseJson } from "../values";
import type { EngagementRow } from "./page";

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
  contentHash: string | null,
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

const PRIMITIVE = new Set(["string", "number", "boolean"]);

/** A Ref: unresolved without a synced record, else its primitive fields beside the typed ones. */
function refFromRow(model: RecordModel, id: string, row: ResolvedRow): Ref {
  const [, , , , recordId, name, email, phone, fields, contentHash, deletedAt] = row;
  if (recordId === null || contentHash === "") {
    return recordId === null
      ? { model, id, resolved: false, name: null }
      : { model, id, resolved: false, name: null, deleted: true };
  }
  const ref = {} as Ref;
  if (fields && fields !== "{}") {
    const parsed = parseJson<Record<string, unknown>>(fields, {});
    for (const key in parsed) {
      if (PRIMITIVE.has(typeof parsed[key])) ref[key] = parsed[key];
    }
  }
  if (email !== null) ref.email = email;
  if (phone !== null) ref.phone = phone;
  if (deletedAt !== null) ref.deleted = true;
  ref.model = model;
  ref.id = id;
  ref.resolved = true;
  ref.name = name;
  return ref;
}

const EMPTY_WARNINGS = "[]";

/** Rows in the API's shape, every reference resolved; a record named twice is read once. */
export function resolveEngagements(db: AppDatabase, rows: EngagementRow[]): EngagementView[] {
  if (rows.length === 0) return [];
  const ids = JSON.stringify(rows.map((r) => r.id));
  const resolved = statement(db, RESOLVE_SQL, "raw").all(ids, ids) as ResolvedRow[];
  const byEngagement = new Map<number, ResolvedRow[]>();
  for (const row of resolved) {
    const list = byEngagement.get(row[0]);
    if (list) list.push(row);
    else byEngagement.set(row[0], [row]);
  }
  // One Ref per record (and model, id) of the page; each use gets its own copy.
  const refs = new Map<string, Ref>();
  const refOf = (model: RecordModel, row: ResolvedRow): Ref => {
    if (row[4] === null) return refFromRow(model, row[2], row);
    const key = `${row[4]}:${model}:${row[2]}`;
    let ref = refs.get(key);
    if (!ref) {
      ref = refFromRow(model, row[2], row);
      refs.set(key, ref);
      return ref;
    }
    return { ...ref };
  };
  return rows.map((row) => {
    const view: EngagementView = {
      id: String(row.id),
      externalId: row.external_id,
      connectorId: row.connector_id,
      connectionOwnerId: row.connection_owner_id,
      type: row.type,
      direction: row.direction,
      status: row.status,
      title: row.title,
      description: row.description,
      startedAt: iso(row.started_at)!,
      endedAt: iso(row.ended_at),
      duration: row.duration,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at)!,
      deletedAt: iso(row.deleted_at),
      owner: null,
      users: [],
      contacts: [],
      companies: [],
      opportunities: [],
      warnings: row.warnings === EMPTY_WARNINGS ? [] : parseJson<string[]>(row.warnings, []),
    };
    const mine = byEngagement.get(row.id);
    if (mine) {
      // Refs in role order, then position (the refs' stored order).
      if (mine.length > 1) mine.sort((a, b) => a[3] - b[3]);
      for (const ref of mine) {
        if (ref[1] === null) view.owner = refOf("genericUser", ref);
        else view[ROLE[ref[1]].list].push(refOf(ROLE[ref[1]].model, ref));
      }
    }
    return view;
  });
}

/** Display names for ids of one model, preferring the given connection's record. */
export function namesFor(
  db: AppDatabase,
  model: RecordModel,
  ids: string[],
  connection: Connection | null,
): Map<string, string | null> {
  const out = new Map<string, string | null>();
  if (ids.length === 0) return out;
  const rows = all<{
    external_id: string;
    name: string | null;
    connector_id: string;
    connection_owner_id: string;
  }>(
    db,
    sql`select external_id, name, connector_id, connection_owner_id from records
        where model = ${model} and external_id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )}) and name is not null`,
  );
  for (const row of rows) {
    const exact =
      connection !== null &&
      row.connector_id === connection.connectorId &&
      row.connection_owner_id === connection.connectionOwnerId;
    if (exact || !out.has(row.external_id)) out.set(row.external_id, row.name);
  }
  return out;
}
