import { loadEngagementFields } from "./fields-codec";
import type { DeliveryOutcome, RecordModel, RefRole } from "./models";
import { REFERENCE_ROLES, ROLE, type ReferenceList } from "./roles";
import { iso, parseJson } from "./stored-values";
import type { Connection, DeliveryTouch, EngagementCursor, EngagementView, Ref } from "./types";

/** Stored rows as the API shows them, the same on every engine: each engine reads, this shapes. */

/** JSON an engine hands back as text (SQLite) or already parsed (PostgreSQL's jsonb). */
function jsonOf<T>(value: unknown, fallback: T): T {
  return typeof value === "string" ? parseJson(value, fallback) : ((value ?? fallback) as T);
}

/** An engagements row as the list reads it, in the columns' own names. */
/** The columns a list row reads, as both engines select them (`e` is engagements). */
export const ENGAGEMENT_ROW_COLUMNS_SQL = [
  "id",
  "connector_id",
  "connection_owner_id",
  "external_id",
  "type",
  "direction",
  "status",
  "title",
  "description",
  "started_at",
  "ended_at",
  "duration",
  "owner_id",
  "created_at",
  "updated_at",
  "deleted_at",
  "warnings",
]
  .map((column) => `e.${column}`)
  .join(", ");

export type EngagementRow = {
  id: number;
  connector_id: string;
  connection_owner_id: string;
  external_id: string;
  type: string | null;
  direction: string | null;
  status: string | null;
  title: string | null;
  description: string | null;
  started_at: number;
  ended_at: number | null;
  duration: number | null;
  owner_id: string | null;
  created_at: number | null;
  updated_at: number;
  deleted_at: number | null;
  /** JSON text or the parsed array. */
  warnings: string | string[];
};

/** The record a reference names in its engagement's connection, as the resolving query read it. */
export type RefRecord = {
  id: number;
  name: string | null;
  email: string | null;
  phone: string | null;
  /** JSON text or the parsed object. */
  fields: string | Record<string, unknown> | null;
  /** "" for a record known only from a delete that came before any snapshot. */
  contentHash: string;
  deletedAt: number | null;
};

/** An owner (`role` null) or reference of an engagement, with its record when there is one. */
export type ResolvedRef = {
  engagementId: number;
  role: RefRole | null;
  refId: string;
  position: number;
  record: RefRecord | null;
};

const PRIMITIVE = new Set(["string", "number", "boolean"]);

/** A Ref: unresolved without a synced record, else its primitive fields beside the typed ones. */
function refFromRecord(model: RecordModel, id: string, record: RefRecord | null): Ref {
  if (record === null) return { model, id, resolved: false, name: null };
  if (record.contentHash === "") return { model, id, resolved: false, name: null, deleted: true };
  const ref = {} as Ref;
  const fields =
    record.fields === "{}" ? null : jsonOf<Record<string, unknown> | null>(record.fields, null);
  if (fields) {
    for (const key in fields) {
      if (PRIMITIVE.has(typeof fields[key])) ref[key] = fields[key];
    }
  }
  if (record.email !== null) ref.email = record.email;
  if (record.phone !== null) ref.phone = record.phone;
  if (record.deletedAt !== null) ref.deleted = true;
  ref.model = model;
  ref.id = id;
  ref.resolved = true;
  ref.name = record.name;
  return ref;
}

function baseView(row: EngagementRow): EngagementView {
  return {
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
    warnings: row.warnings === "[]" ? [] : jsonOf<string[]>(row.warnings, []),
  };
}

/** Rows in the API's shape with their references placed; a record named twice is read once. */
export function toEngagementViews(
  rows: EngagementRow[],
  resolved: ResolvedRef[],
): EngagementView[] {
  const byEngagement = new Map<number, ResolvedRef[]>();
  for (const ref of resolved) {
    const list = byEngagement.get(ref.engagementId);
    if (list) list.push(ref);
    else byEngagement.set(ref.engagementId, [ref]);
  }
  // One Ref per record (and model, id) of the page; each use gets its own copy.
  const refs = new Map<string, Ref>();
  const refOf = (model: RecordModel, { refId, record }: ResolvedRef): Ref => {
    if (record === null) return refFromRecord(model, refId, null);
    const key = `${record.id}:${model}:${refId}`;
    const known = refs.get(key);
    if (known) return { ...known };
    const ref = refFromRecord(model, refId, record);
    refs.set(key, ref);
    return ref;
  };
  return rows.map((row) => {
    const view = baseView(row);
    const mine = byEngagement.get(row.id);
    if (mine) {
      // Each list in its stored order.
      if (mine.length > 1) mine.sort((a, b) => a.position - b.position);
      for (const ref of mine) {
        if (ref.role === null) view.owner = refOf("genericUser", ref);
        else view[ROLE[ref.role].list].push(refOf(ROLE[ref.role].model, ref));
      }
    }
    return view;
  });
}

/** A page of `limit` from rows read one past it: the rest says whether there is a next page. */
export function cutPage<T extends { id: number; started_at: number }>(
  rows: T[],
  limit: number,
): { rows: T[]; next: EngagementCursor | null } {
  if (rows.length <= limit) return { rows, next: null };
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, next: last ? { startedAt: last.started_at, id: last.id } : null };
}

/** The snapshot's `fields` as received, from the stored ones and the engagement's view. */
export function engagementFieldsOf(stored: unknown, row: EngagementRow, view: EngagementView) {
  return loadEngagementFields(jsonOf(stored, null), {
    ...view,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    ownerId: row.owner_id,
    refs: Object.fromEntries(
      REFERENCE_ROLES.map(({ list }) => [list, view[list].map((ref) => ref.id)]),
    ) as Record<ReferenceList, string[]>,
  });
}

export type DeliveryTouchRow = {
  id: number;
  received_at: number;
  event: string | null;
  outcome: DeliveryOutcome;
  http_status: number;
  idempotency_key: string | null;
  warnings: string | string[];
  repeat_count: number;
};

export function toDeliveryTouch(d: DeliveryTouchRow): DeliveryTouch {
  return {
    id: d.id,
    receivedAt: iso(d.received_at)!,
    event: d.event,
    outcome: d.outcome,
    httpStatus: d.http_status,
    idempotencyKey: d.idempotency_key,
    warnings: jsonOf<string[]>(d.warnings, []),
    repeatCount: d.repeat_count,
  };
}

export type NamedRecordRow = {
  external_id: string;
  name: string | null;
  connector_id: string;
  connection_owner_id: string;
};

/** Names by id from rows in record order: the given connection's record wins, else the first. */
export function pickNames(rows: NamedRecordRow[], connection: Connection | null) {
  const out = new Map<string, string | null>();
  for (const row of rows) {
    const exact =
      connection !== null &&
      row.connector_id === connection.connectorId &&
      row.connection_owner_id === connection.connectionOwnerId;
    if (exact || !out.has(row.external_id)) out.set(row.external_id, row.name);
  }
  return out;
}
